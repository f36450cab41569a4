import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runr, runrJson } from '../helpers/cli.js';
import { updateManifest } from '../../src/index.js';
import type { ManifestEntry } from '../../src/index.js';
import type { FindJson, RebuildJson } from './helpers.js';
import { copyDir, esyRunsFixture, manifestFixtures, readManifestJson, tmpDir } from './helpers.js';

let dir = '';
const runs = [
  { run_id: 'r1', framework: 'chatdev', verification_status: 'verified', total_tokens_in: 200_000, total_tokens_out: 10, status: 'PASSED', kind: 'task', workflow: 'visual-essay', start_time: '2026-01-01T00:00:00.000Z', end_time: '2026-01-01T00:10:00.000Z', params: { seed: 1, model: 'gpt, "4"' }, metrics: { loss: 0.5 } },
  { run_id: 'r2', framework: 'chatdev', verification_status: 'pending', status: 'FAILED', kind: 'task', workflow: 'visual-essay', start_time: '2026-01-02T00:00:00.000Z', params: { seed: 2 }, metrics: { loss: 0.2 } },
  { run_id: 'r3', framework: 'baes', verification_status: 'verified', status: 'PASSED', kind: 'workflow', workflow: 'research', start_time: '2026-01-03T00:00:00.000Z', params: { seed: 2 }, metrics: { loss: 0.9 }, tags: { team: 'a' } },
];

beforeAll(async () => {
  dir = tmpDir();
  for (const r of runs) await updateManifest(r, { runsDir: dir, fsync: false });
});

describe('runr find', () => {
  it('prints a table with the fields the query mentions, and a count', () => {
    const r = runr(['find', "status = 'PASSED' and metrics.loss < 0.8", '--dir', dir], { cwd: dir });
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^run_id\s+status\s+kind\s+workflow\s+framework\s+verification_status\s+started_at\s+duration_s\s+metrics\.loss$/);
    expect(lines[1]).toMatch(/^r1\s+PASSED\s+task\s+visual-essay\s+chatdev\s+verified\s+2026-01-01T00:00:00\.000Z\s+600\s+0\.5$/);
    expect(lines.at(-1)).toBe('1 of 3 runs');
  });

  it('prints --json with the query, counts and entries', () => {
    const r = runrJson<FindJson>(['find', 'params.seed = 2', '--order-by', 'metrics.loss desc', '--limit', '1', '--dir', dir], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.json).toMatchObject({ query: 'params.seed = 2', order_by: 'metrics.loss desc', limit: 1, total_runs: 3, count: 1 });
    expect(r.json.runs.map((e: ManifestEntry) => e.run_id)).toEqual(['r3']);
    expect(r.json.manifest).toBe('runs_manifest.json');
  });

  it('supports json, jsonl, csv and vertical formats', () => {
    const json = runr(['find', "framework = 'chatdev'", '--format', 'json', '--dir', dir], { cwd: dir });
    expect(JSON.parse(json.stdout).map((e: ManifestEntry) => e.run_id)).toEqual(['r1', 'r2']);
    const jsonl = runr(['find', "framework = 'chatdev'", '--format', 'jsonl', '--dir', dir], { cwd: dir });
    expect(jsonl.stdout.trimEnd().split('\n').map((l) => JSON.parse(l).run_id)).toEqual(['r1', 'r2']);
    const csv = runr(['find', "run_id = 'r1'", '--format', 'csv', '--dir', dir], { cwd: dir }).stdout.trimEnd().split('\n');
    expect(csv[0]).toBe('run_id,framework,path,start_time,end_time,verification_status,total_tokens_in,total_tokens_out,kind,workflow,status,stop_reason,metrics.loss,params.model,params.seed');
    expect(csv[1]).toBe('r1,chatdev,chatdev/r1,2026-01-01T00:00:00.000Z,2026-01-01T00:10:00.000Z,verified,200000,10,task,visual-essay,PASSED,,0.5,"gpt, ""4""",1');
    const vertical = runr(['find', "run_id = 'r3'", '--format', 'vertical', '--dir', dir], { cwd: dir }).stdout;
    expect(vertical).toContain('*** 1. r3 ***');
    expect(vertical).toMatch(/\n\s+tags\.team: a\n/);
  });

  it('prints nothing but the header for no match in a table, and exits 0', () => {
    const r = runr(['find', "status = 'NOPE'", '--dir', dir], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('0 of 3 runs');
  });

  it('points at the column of a syntax error with a caret and exits 2', () => {
    const r = runr(['find', "status = 'PASSED' and (kind = 'task'", '--dir', dir], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("error: query: column 23: unclosed '(' (missing ')')\n  status = 'PASSED' and (kind = 'task'\n                        ^\n");
  });

  it('validates --order-by, --limit and --format', () => {
    expect(runr(['find', 'status is null', '--order-by', 'bogus', '--dir', dir], { cwd: dir })).toMatchObject({ status: 2, stderr: expect.stringMatching(/--order-by: column 1: unknown field 'bogus'/) });
    expect(runr(['find', 'status is null', '--limit', 'ten', '--dir', dir], { cwd: dir })).toMatchObject({ status: 2, stderr: expect.stringMatching(/--limit: expected an integer ≥ 0, got "ten"/) });
    expect(runr(['find', 'status is null', '--format', 'xml', '--dir', dir], { cwd: dir })).toMatchObject({ status: 2, stderr: expect.stringMatching(/--format: expected one of table, json, jsonl, csv, vertical, got "xml"/) });
  });

  it('finds nothing (exit 0) when there is no manifest yet', () => {
    const empty = tmpDir();
    const r = runrJson<FindJson>(['find', "status = 'PASSED'", '--dir', empty], { cwd: empty });
    expect(r.json).toMatchObject({ total_runs: 0, count: 0, runs: [] });
    expect(r.stderr).toBe('note: runs_manifest.json does not exist yet; `runr manifest rebuild` indexes the runs already there\n');
  });
});

describe('runr manifest', () => {
  it('find takes the original flags, ANDed with an optional query', () => {
    const r = runrJson<FindJson>(['manifest', 'find', '--framework', 'chatdev', '--verification-status', 'verified', '--min-tokens', '100000', '--dir', dir], { cwd: dir });
    expect(r.json.runs.map((e: ManifestEntry) => e.run_id)).toEqual(['r1']);
    const q = runrJson<FindJson>(['manifest', 'find', 'params.seed = 2', '--verification-status', 'verified', '--dir', dir], { cwd: dir });
    expect(q.json.runs.map((e: ManifestEntry) => e.run_id)).toEqual(['r3']);
    expect(runr(['manifest', 'find', '--min-tokens', 'lots', '--dir', dir], { cwd: dir }).status).toBe(2);
  });

  it('show prints a summary, and the manifest itself with --json', () => {
    const r = runr(['manifest', 'show', '--dir', dir], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/3 runs/);
    expect(r.stdout).toMatch(/frameworks: baes 1, chatdev 2/);
    expect(runrJson<unknown>(['manifest', 'show', '--dir', dir], { cwd: dir }).json).toEqual(readManifestJson(dir));
  });

  it('rebuild indexes a copy of the Orchestration Runner runs and reports broken files', () => {
    const root = tmpDir();
    const runsDir = copyDir(esyRunsFixture, path.join(root, 'orchestration', 'runs'));
    copyDir(path.join(manifestFixtures, 'devbench', 'ghspec'), path.join(runsDir, 'ghspec'));
    const r = runrJson<RebuildJson>(['manifest', 'rebuild', '--dir', 'orchestration/runs'], { cwd: root });
    expect(r.status).toBe(0);
    expect(r.json).toMatchObject({ file: 'orchestration/runs/runs_manifest.json', total_runs: 3, frameworks: { ghspec: 1, runr: 2 }, layouts: ['esy', 'devbench'] });
    expect(r.json.problems).toEqual([{ path: 'orchestration/runs/ghspec/d4e5f6a7-0004-broken/metrics.json', message: expect.stringMatching(/^\(root\): not valid JSON/) }]);
    const human = runr(['manifest', 'rebuild', '--dir', 'orchestration/runs', '--layout', 'esy'], { cwd: root });
    expect(human.status).toBe(0);
    expect(human.stdout).toBe('rebuilt orchestration/runs/runs_manifest.json: 2 runs (layouts: esy)\n');
    expect(runr(['manifest', 'rebuild', '--dir', 'nope'], { cwd: root })).toMatchObject({ status: 2, stderr: expect.stringMatching(/--dir: nope: no such directory/) });
    expect(runr(['manifest', 'rebuild', '--dir', 'orchestration/runs', '--layout', 'svn'], { cwd: root }).status).toBe(2);
  });

  it('rebuild reports broken files on stderr and still exits 0', () => {
    const runsDir = copyDir(path.join(manifestFixtures, 'devbench'), path.join(tmpDir(), 'runs'));
    const r = runr(['manifest', 'rebuild', '--dir', runsDir, '--layout', 'devbench'], { cwd: runsDir });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/warning: skipped baes\/e5f6a7b8-0005-badtype\/metadata\.json: run_id: expected a string, got 42/);
    expect(r.stdout).toMatch(/3 runs \(layouts: devbench\); 2 skipped/);
  });

  it('remove takes an id or a unique prefix; unknown ids exit 2 and write nothing', async () => {
    const d = tmpDir();
    for (const r of runs) await updateManifest(r, { runsDir: d, fsync: false });
    expect(runrJson<unknown>(['manifest', 'remove', 'r2', '--dir', d], { cwd: d }).json).toEqual({ removed: 'r2', file: 'runs_manifest.json', total_runs: 2 });
    const before = fs.readFileSync(path.join(d, 'runs_manifest.json'), 'utf8');
    expect(runr(['manifest', 'remove', 'zz', '--dir', d], { cwd: d })).toMatchObject({ status: 2, stderr: expect.stringMatching(/zz is not in runs_manifest\.json/) });
    expect(runr(['manifest', 'remove', 'r', '--dir', d], { cwd: d })).toMatchObject({ status: 2, stderr: expect.stringMatching(/matches 2 runs/) });
    expect(runr(['manifest', 'remove', '../x', '--dir', d], { cwd: d }).status).toBe(2);
    expect(fs.readFileSync(path.join(d, 'runs_manifest.json'), 'utf8')).toBe(before);
  });

  it('moves a corrupt manifest aside with a note on stderr, then answers from the rebuilt one', () => {
    const root = tmpDir();
    const runsDir = copyDir(esyRunsFixture, path.join(root, 'runs'));
    fs.writeFileSync(path.join(runsDir, 'runs_manifest.json'), '{"version": "1.0", "runs": [{"run_id": ');
    const r = runrJson<FindJson>(['find', "status = 'FAILED'", '--dir', 'runs'], { cwd: root });
    expect(r.status).toBe(0);
    expect(r.json.count).toBe(1);
    expect(r.stderr).toMatch(/^warning: runs\/runs_manifest\.json is not a valid manifest \(not valid JSON .*\); moved it to runs\/runs_manifest\.json\.corrupt-\d{8}T\d{9}Z and rebuilt it from the run records\n$/);
    expect(fs.readdirSync(runsDir).filter((n) => n.startsWith('runs_manifest.json.corrupt-'))).toHaveLength(1);
  });
});
