/**
 * What a batch run killed between two of its writes leaves behind, and that the next batch run
 * copes with it: a variant pointer naming a run whose directory has no record yet (killed after
 * the pointer, before the run's first journal write), and the stage pid file, kept empty between
 * stages (and left naming a process that is gone).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeRepo, removeRepo } from '../helpers/cli.js';
import { st, stJson } from './helpers.js';

vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });

const STUDY = 'crash-window';

function put(dir: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), text);
}

/** A study with a two-stage pipeline of `cp` commands and a one-variant batch. */
function setup(): { dir: string; batch: string; variant: string } {
  const dir = makeRepo({ fixtures: false });
  expect(st(['study', 'init', STUDY, '--no-pipeline'], dir).status).toBe(0);
  const specs = `runs/${STUDY}/specs`;
  put(dir, `${specs}/pop/${STUDY}.pop-v01.yaml`, 'population: test\n');
  put(dir, `${specs}/network-config/${STUDY}.network-cfg-v01.yaml`, 'avg_degree: 8\n');
  put(dir, `${specs}/scenario/${STUDY}.scn-v01.scenario.yaml`, 'name: test\n');
  put(
    dir,
    `runs/${STUDY}/pipeline.yaml`,
    [
      'stages:',
      '  one:',
      '    cmd: [cp, "{base.population_spec}", "{inputs}/one.out"]',
      '    deps: ["{base.population_spec}"]',
      '    outs: ["{inputs}/one.out"]',
      '  two:',
      '    cmd: [cp, "{inputs}/one.out", "{inputs}/two.out"]',
      '    deps: ["{inputs}/one.out"]',
      '    outs: ["{inputs}/two.out"]',
      '',
    ].join('\n'),
  );
  const b = stJson<{ batch_id: string; variants: Array<{ id: string }> }>(['batch', 'new', STUDY, '--intent', 'crash', '--scenario-rev', 'scn-v01', '--config-rev', 'cfg-v01', '--objective', 'crash windows'], dir);
  expect(b.status, b.stderr).toBe(0);
  expect(b.json.variants).toHaveLength(1);
  return { dir, batch: b.json.batch_id, variant: b.json.variants[0]?.id ?? '' };
}

describe('a batch run killed between two writes', () => {
  let dir = '';
  let batch = '';
  let variant = '';
  beforeAll(() => {
    ({ dir, batch, variant } = setup());
  });
  afterAll(() => removeRepo(dir));

  const variantDir = () => path.join(dir, 'runs', STUDY, 'batches', batch, 'variants', variant);

  it('a pointer to a run directory without a record is a variant with no run yet: it runs, in a new run', () => {
    // What a kill leaves after the run's directory and the pointer, before the first journal write.
    const ghost = 'run_20260101T000000000Z_crash-window_abc123';
    fs.mkdirSync(path.join(dir, '.runr', 'runs', ghost, 'record'), { recursive: true });
    fs.mkdirSync(path.join(dir, '.runr', 'runs', ghost, 'logs'), { recursive: true });
    put(variantDir(), '.runr-run', `${ghost}\n`);
    const r = stJson<{ counts: { ran: number }; variants: Array<{ run_id: string; outcome: string }> }>(['batch', 'run', STUDY, batch], dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json.counts.ran).toBe(2);
    expect(r.json.variants[0]?.outcome).toBe('success');
    const runId = r.json.variants[0]?.run_id ?? '';
    expect(runId).not.toBe(ghost);
    expect(fs.readFileSync(path.join(variantDir(), '.runr-run'), 'utf8').trim()).toBe(runId);
    expect(fs.readFileSync(path.join(variantDir(), 'inputs', 'two.out'), 'utf8')).toBe('population: test\n');
    // The run's first journal write holds its creation and its start.
    const types = fs
      .readFileSync(path.join(dir, '.runr', 'runs', runId, 'record', 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { type: string }).type);
    expect(types.slice(0, 3)).toEqual(['run.created', 'pipeline.started', 'stage.started']);
    expect(types.at(-1)).toBe('pipeline.finished');
    expect(types.filter((t) => t === 'stage.finished')).toHaveLength(2);
  });

  it('the stage pid file is empty between stages; one naming a process that is gone does not block the next run', () => {
    const runId = fs.readFileSync(path.join(variantDir(), '.runr-run'), 'utf8').trim();
    const pidFile = path.join(dir, '.runr', 'runs', runId, 'logs', 'stage.pid.json');
    expect(fs.readFileSync(pidFile, 'utf8')).toBe('');
    // As a runr killed mid-stage leaves it, once the stage's process has exited: a pid no process has.
    fs.writeFileSync(pidFile, JSON.stringify({ stage: 'two', pid: 2 ** 22 + 1, host: 'x', execution: 1 }));
    fs.rmSync(path.join(variantDir(), 'inputs', 'two.out'));
    const r = stJson<{ counts: { ran: number }; variants: Array<{ stages: Array<{ stage: string; action: string }> }> }>(['batch', 'run', STUDY, batch], dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json.variants[0]?.stages.map((s) => `${s.stage}:${s.action}`)).toEqual(['one:skipped', 'two:ran']);
    expect(fs.readFileSync(pidFile, 'utf8')).toBe('');
    expect(st(['batch', 'run', STUDY, batch], dir).stdout).toContain('nothing to do');
  });
});
