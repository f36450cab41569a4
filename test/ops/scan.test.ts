/** Scan: the harness's exact rules, and runr's fixes (both temp names, temp-only runs, globs, unreadable envelopes). */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { instanceIdOf, pyIntOrNull, seedOf } from '../../src/core/ops/scan-rules.js';
import { fnmatchToRegExp } from '../../src/core/ops/fnmatch.js';
import { runtimeLayout } from '../../src/ops/runtime-layout.js';
import { scan } from '../../src/ops/scan.js';
import { copyRuntime, harness, QWEN, RUN_ID, tempDir, TINY, variantRuntime } from './helpers.js';

function envelope(over: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ schema_version: '1.4', exit_status: 'normal', total_cases_completed: 60, total_cases_expected: 60, model_id: 'm1', ...over }, null, 2)}\n`;
}

/** A runtime with the given files under benchmarks/autonomous. */
function runtimeWith(files: Record<string, string>): string {
  const cwd = tempDir();
  const dir = path.join(cwd, 'runtime/benchmarks/autonomous');
  fs.mkdirSync(dir, { recursive: true });
  for (const [n, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, n), text);
  return cwd;
}

const scanIn = (cwd: string, runId: string, seed: number | null = null, models: string[] | null = null) =>
  scan(runtimeLayout(cwd, 'runtime'), { runId, seed, models });

describe('scan rules (pure)', () => {
  it('instance id: every occurrence of "<run_id>__" and ".run.json" removed, as Python str.replace does', () => {
    expect(instanceIdOf('r__20261121T193657_seed1337.run.json', 'r')).toBe('20261121T193657_seed1337');
    expect(instanceIdOf('r__x.run.json.y.run.json', 'r')).toBe('x.y');
  });
  it('seed: the int after the last _seed, Python int() syntax', () => {
    expect(seedOf('20261121T193657_seed1337')).toBe(1337);
    expect(seedOf('a_seed1_seed42')).toBe(42);
    expect(seedOf('20261121T193657')).toBeNull();
    expect(seedOf('x_seedabc')).toBeNull();
    expect(pyIntOrNull(' 1_337 ')).toBe(1337);
    expect(pyIntOrNull('1__3')).toBeNull();
    expect(pyIntOrNull('-7')).toBe(-7);
    expect(pyIntOrNull('\u0661\u0662')).toBe(12); // Arabic-Indic digits, as Python's int() accepts
  });
  it('fnmatch: *, ?, [seq], [!seq]; everything else literal', () => {
    expect(fnmatchToRegExp('a*__*.run.json').test('abc__x.run.json')).toBe(true);
    expect(fnmatchToRegExp('a?c').test('abc')).toBe(true);
    expect(fnmatchToRegExp('[!a]bc').test('abc')).toBe(false);
    expect(fnmatchToRegExp('[a-c]x').test('bx')).toBe(true);
    expect(fnmatchToRegExp('a.b(c)+').test('a.b(c)+')).toBe(true);
    expect(fnmatchToRegExp('a.b').test('axb')).toBe(false);
    expect(fnmatchToRegExp('[abc').test('[abc')).toBe(true);
  });
});

describe('scan on the fixtures', () => {
  it('valid runtime: both runs complete, sorted by (model_id, instance_id)', () => {
    const { candidates } = scan(runtimeLayout(harness, 'runtime-valid'), { runId: RUN_ID, seed: 1337, models: ['tinyllama:latest', 'qwen2.5-coder:7b'] });
    expect(candidates.map((c) => [c.model_id, c.instance_id, c.seed, c.status])).toEqual([
      ['qwen2.5-coder:7b', QWEN, 1337, 'complete'],
      ['tinyllama:latest', TINY, 1337, 'complete'],
    ]);
  });
  it('filters: seed (seedless runs dropped), exact model match, the seed example run id that matches nothing', () => {
    const layout = runtimeLayout(harness, 'runtime-valid');
    expect(scan(layout, { runId: RUN_ID, seed: 1, models: null }).candidates).toEqual([]);
    expect(scan(layout, { runId: RUN_ID, seed: null, models: ['tinyllama'] }).candidates).toEqual([]);
    expect(scan(layout, { runId: RUN_ID, seed: null, models: ['tinyllama:latest'] }).candidates.map((c) => c.instance_id)).toEqual([TINY]);
    expect(scan(layout, { runId: 'autonomous_exec_v0_1_llm', seed: 1337, models: null }).candidates).toEqual([]);
  });
  it('b_active_run: the harness\'s X.run.run.json.tmp makes the run active', () => {
    const { candidates } = scan(runtimeLayout(variantRuntime('b_active_run'), '.'), { runId: RUN_ID, seed: null, models: null });
    const qwen = candidates.find((c) => c.instance_id === QWEN);
    expect(qwen?.status).toBe('active');
    expect(path.basename(qwen?.tmp_path ?? '')).toBe(`${RUN_ID}__${QWEN}.run.run.json.tmp`);
    expect(candidates.find((c) => c.instance_id === TINY)?.status).toBe('complete');
  });
  it('glob run id (runr fix): resolved per file, so instance ids and log paths are right', () => {
    const cwd = copyRuntime(path.join(harness, 'runtime-valid'));
    const { candidates } = scanIn(cwd, 'autonomous_exec_v0_1_llm*', 1337);
    // The harness kept the pattern: instance "autonomous_exec_v0_1_llm_phase4b__2026…" and a missing log.
    expect(candidates.map((c) => [c.run_id, c.instance_id])).toEqual([
      [RUN_ID, QWEN],
      [RUN_ID, TINY],
    ]);
    expect(candidates.every((c) => fs.existsSync(c.events_path))).toBe(true);
  });
});

describe('scan edge cases', () => {
  it('status: incomplete when exit_status is not normal or completed != expected', () => {
    const cwd = runtimeWith({
      'r__a.run.json': envelope({ exit_status: 'incomplete' }),
      'r__b.run.json': envelope({ total_cases_completed: 59 }),
      'r__c.run.json': envelope({ total_cases_completed: 60.0 }),
    });
    expect(scanIn(cwd, 'r').candidates.map((c) => [c.instance_id, c.status])).toEqual([
      ['a', 'incomplete'],
      ['b', 'incomplete'],
      ['c', 'complete'],
    ]);
  });
  it('both temp names are recognised; a run with only its temp file is listed as active (the harness lost it)', () => {
    const cwd = runtimeWith({
      'r__a.run.json': envelope(),
      'r__a.run.json.tmp': envelope(),
      'r__b.run.run.json.tmp': envelope({ model_id: 'm2' }),
      'r__c.run.json.tmp': '{"partial',
    });
    const c = scanIn(cwd, 'r').candidates;
    expect(c.map((x) => [x.instance_id, x.status, x.has_final, x.model_id])).toEqual([
      ['c', 'active', false, ''],
      ['a', 'active', true, 'm1'],
      ['b', 'active', false, 'm2'],
    ]);
  });
  it('a temp-only run is filtered by the model its temp file names', () => {
    const cwd = runtimeWith({ 'r__b.run.run.json.tmp': envelope({ model_id: 'm2' }) });
    expect(scanIn(cwd, 'r', null, ['m1']).candidates).toEqual([]);
  });
  it('a malformed envelope is a candidate with status unreadable and a clear error; the others are unaffected', () => {
    const cwd = runtimeWith({ 'r__a.run.json': envelope(), 'r__b.run.json': '{"schema_version": ', 'r__c.run.json': '[1]', 'r__d.run.json': '\ufeff{}' });
    const c = scanIn(cwd, 'r').candidates;
    expect(c.map((x) => [x.instance_id, x.status])).toEqual([
      ['b', 'unreadable'],
      ['c', 'unreadable'],
      ['d', 'unreadable'],
      ['a', 'complete'],
    ]);
    expect(c[0]?.error).toMatch(/r__b\.run\.json: not valid JSON/);
    expect(c[1]?.error).toMatch(/not a JSON object/);
  });
  it('a directory named like an envelope is ignored; a missing autonomous dir is a warning, not an error', () => {
    const cwd = runtimeWith({ 'r__a.run.json': envelope() });
    fs.mkdirSync(path.join(cwd, 'runtime/benchmarks/autonomous/r__dir.run.json'));
    expect(scanIn(cwd, 'r').candidates.map((x) => x.instance_id)).toEqual(['a']);
    const empty = tempDir();
    fs.mkdirSync(path.join(empty, 'runtime'));
    const r = scanIn(empty, 'r');
    expect(r.candidates).toEqual([]);
    expect(r.warnings[0]).toMatch(/benchmarks\/autonomous: directory not found/);
  });
  it('rejects run ids that reach into other directories', () => {
    const cwd = runtimeWith({});
    expect(() => scanIn(cwd, '../x')).toThrow(/--run-id: invalid run id/);
  });
});
