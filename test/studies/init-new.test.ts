import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { makeRepo } from '../helpers/cli.js';
import { STUDY, makeStudy, removeRepo, snapshotTree, st, stJson, studyPath } from './helpers.js';

// Real processes on a shared 2-core machine: generous bounds (no timing is asserted).
vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeRepo(d);
});

describe('runr study init', () => {
  it('scaffolds the document’s tree with the exact registry header, and keeps existing files', () => {
    const dir = makeRepo({ fixtures: false });
    dirs.push(dir);
    const r = stJson(['study', 'init', STUDY], dir);
    expect(r.status).toBe(0);
    for (const d of ['registry', 'specs/pop', 'specs/persona', 'specs/network-config', 'specs/scenario', 'batches']) expect(fs.statSync(studyPath(dir, d)).isDirectory()).toBe(true);
    expect(fs.readFileSync(studyPath(dir, 'registry', 'runs.csv'), 'utf8')).toBe('timestamp,study,batch_id,variant_id,scenario_rev,config_rev,seed,status,results_dir,notes\n');
    expect(fs.existsSync(studyPath(dir, 'pipeline.yaml'))).toBe(true);
    fs.appendFileSync(studyPath(dir, 'pipeline.yaml'), '# mine\n');
    const again = stJson(['study', 'init', STUDY], dir);
    expect(again.json.created).toEqual([]);
    expect(fs.readFileSync(studyPath(dir, 'pipeline.yaml'), 'utf8')).toMatch(/# mine\n$/);
  });

  it('honours studies_dir from the config and --studies-dir', () => {
    const dir = makeRepo({ fixtures: false });
    dirs.push(dir);
    fs.mkdirSync(path.join(dir, '.runr'));
    fs.writeFileSync(path.join(dir, '.runr/runr.config.json'), JSON.stringify({ studies_dir: 'experiments' }));
    expect(st(['study', 'init', 'a-b'], dir).status).toBe(0);
    expect(fs.existsSync(path.join(dir, 'experiments/a-b/registry/runs.csv'))).toBe(true);
    expect(st(['study', 'init', 'c', '--studies-dir', 'elsewhere'], dir).status).toBe(0);
    expect(fs.existsSync(path.join(dir, 'elsewhere/c/registry/runs.csv'))).toBe(true);
  });

  it('refuses a study id that is not kebab-case (exit 2, nothing written)', () => {
    const dir = makeRepo({ fixtures: false });
    dirs.push(dir);
    for (const bad of ['Austin', 'a_b', '../x', 'a--b']) {
      const r = st(['study', 'init', bad], dir);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^error: <study>: expected a lowercase kebab-case/);
      expect(r.stderr).not.toMatch(/at .*\.js/);
    }
    expect(fs.existsSync(path.join(dir, 'runs'))).toBe(false);
  });
});

describe('runr batch new', () => {
  it('writes the manifest with the document’s fields; one-axis sweep by default; next free vNN', () => {
    const dir = makeStudy();
    dirs.push(dir);
    const r = stJson(['batch', 'new', STUDY, '--intent', 'threshold-sweep', '--scenario-rev', 'scn-v01', '--config-rev', 'cfg-v01', '--objective', 'Baseline plus threshold sensitivity', '--sweep', 'threshold=2,4', '--sweep', 'chunk_size=25', '--seeds', '42,43'], dir);
    expect(r.status).toBe(0);
    const id: string = r.json.batch_id;
    expect(id).toMatch(/^b\d{8}-\d{4}-threshold-sweep-v01$/);
    const text = fs.readFileSync(studyPath(dir, 'batches', id, 'manifest.yaml'), 'utf8');
    expect(Object.keys(parse(text))).toEqual(['study', 'batch_id', 'scenario_rev', 'config_rev', 'created_at', 'objective', 'base_paths', 'variants', 'sweep']);
    expect(text).toMatch(/^created_at: "\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z"$/m);
    const m = parse(text);
    expect(m.study).toBe(STUDY);
    expect(m.base_paths).toEqual({
      population_spec: `runs/${STUDY}/specs/pop/${STUDY}.pop-v01.yaml`,
      network_config: `runs/${STUDY}/specs/network-config/${STUDY}.network-cfg-v01.yaml`,
      scenario_spec: `runs/${STUDY}/specs/scenario/${STUDY}.scn-v01.scenario.yaml`,
    });
    expect(m.variants).toHaveLength((1 + 2 + 1) * 2);
    expect(m.variants[0]).toEqual({ id: 'vr-base-default-s42', seed: 42, overrides: {} });
    expect(m.variants.map((v: { id: string }) => v.id)).toContain('vr-threshold-4-s43');
    expect(m.variants.every((v: { overrides: object }) => Object.keys(v.overrides).length <= 1)).toBe(true);
    const second = stJson(['batch', 'new', STUDY, '--intent', 'threshold-sweep', '--scenario-rev', 'scn-v01', '--config-rev', 'cfg-v01', '--objective', 'again', '--sweep', 'threshold=2,4', '--sweep', 'chunk_size=25,50', '--factorial'], dir);
    expect(second.json.batch_id).toMatch(/-threshold-sweep-v02$/);
    expect(second.json.variants).toHaveLength(4);
    expect(second.json.variants.every((v: { overrides: object }) => Object.keys(v.overrides).length === 2)).toBe(true);
  });

  it('bad flags are exit 2 naming the flag, and write nothing', () => {
    const dir = makeStudy();
    dirs.push(dir);
    const before = snapshotTree(dir);
    const base = ['batch', 'new', STUDY, '--objective', 'x'];
    const cases: Array<[string[], RegExp]> = [
      [[...base, '--intent', 'Base', '--scenario-rev', 'scn-v01', '--config-rev', 'cfg-v01'], /--intent: expected a lowercase kebab-case intent/],
      [[...base, '--intent', 'b', '--scenario-rev', 'scn-1', '--config-rev', 'cfg-v01'], /--scenario-rev: expected scn-vNN/],
      [[...base, '--intent', 'b', '--scenario-rev', 'scn-v01', '--config-rev', 'cfg1'], /--config-rev: expected cfg-vNN/],
      [[...base, '--intent', 'b', '--scenario-rev', 'scn-v01', '--config-rev', 'cfg-v01', '--sweep', 'nope=1,2'], /--sweep: nope is not a param of runs\/austin-congestion-tax\/pipeline.yaml/],
      [[...base, '--intent', 'b', '--scenario-rev', 'scn-v01', '--config-rev', 'cfg-v01', '--sweep', 'threshold'], /--sweep: expected <axis>=/],
      [[...base, '--intent', 'b', '--scenario-rev', 'scn-v01', '--config-rev', 'cfg-v01', '--seeds', '4x'], /--seeds: expected comma-separated/],
      [[...base, '--intent', 'b', '--scenario-rev', 'scn-v01', '--config-rev', 'cfg-v01', '--base', 'population_spec=../outside.yaml'], /--base population_spec: .* is not inside the study directory/],
      [['batch', 'new', 'no-such-study', '--intent', 'b', '--scenario-rev', 'scn-v01', '--config-rev', 'cfg-v01', '--objective', 'x'], /study not found/],
    ];
    for (const [args, re] of cases) {
      const r = st(args, dir);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(re);
    }
    expect(snapshotTree(dir)).toBe(before);
  });
});
