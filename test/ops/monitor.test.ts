/**
 * Monitor: a fake harness process (temp file → appended events → rename) is noticed within a
 * generous bound of the rename (the exact figure is in bench/ops.bench.mjs); a run that never
 * finishes ends with monitor_timeout; a finished-but-incomplete run is judged at once (the
 * harness spent the full 10 minutes on it).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/ops/clock.js';
import { runtimeLayout } from '../../src/ops/runtime-layout.js';
import { monitorAll } from '../../src/ops/monitor.js';
import { scan } from '../../src/ops/scan.js';
import { repoRoot, tempDir } from './helpers.js';

const FAKE = path.join(repoRoot, 'test/fixtures/ops/bin/fake-harness.mjs');

/** A clock whose sleeps return at once and advance time: a 600 s timeout costs nothing. */
function fakeClock(): Clock & { sleeps: number[] } {
  let t = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: (ms) => {
      sleeps.push(ms);
      t += ms;
      return Promise.resolve();
    },
  };
}

function writeRun(cwd: string, instance: string, files: { final?: object; tmp?: object }): void {
  const dir = path.join(cwd, 'runtime/benchmarks/autonomous');
  fs.mkdirSync(dir, { recursive: true });
  if (files.final) fs.writeFileSync(path.join(dir, `r__${instance}.run.json`), JSON.stringify(files.final));
  if (files.tmp) fs.writeFileSync(path.join(dir, `r__${instance}.run.run.json.tmp`), JSON.stringify(files.tmp));
}

const done = { schema_version: '1.4', exit_status: 'normal', total_cases_expected: 3, total_cases_completed: 3, model_id: 'm' };

describe('monitor with an injected clock', () => {
  it('a run that never finishes times out with monitor_timeout after the timeout (600 s, 15 s polls)', async () => {
    const cwd = tempDir();
    writeRun(cwd, 'a', { final: done, tmp: done });
    const layout = runtimeLayout(cwd, 'runtime');
    const [c] = scan(layout, { runId: 'r', seed: null, models: null }).candidates;
    const clock = fakeClock();
    const [r] = await monitorAll([c!], { pollMs: 15_000, timeoutMs: 600_000, clock, watch: null });
    expect(r).toEqual({ outcome: 'timeout', status: 'incomplete', monitor_timeout: true, waited_ms: 600_000 });
    expect(clock.sleeps).toHaveLength(40);
    expect(c!.status).toBe('incomplete');
  });

  it('a finished-but-incomplete run is judged at once, without waiting', async () => {
    const cwd = tempDir();
    writeRun(cwd, 'a', { final: { ...done, exit_status: 'incomplete', total_cases_completed: 2 } });
    const [c] = scan(runtimeLayout(cwd, 'runtime'), { runId: 'r', seed: null, models: null }).candidates;
    expect(c!.status).toBe('incomplete');
    const clock = fakeClock();
    const [r] = await monitorAll([c!], { pollMs: 15_000, timeoutMs: 600_000, clock, watch: null });
    expect(r).toMatchObject({ outcome: 'finished_incomplete', status: 'incomplete', monitor_timeout: false, waited_ms: 0 });
    expect(clock.sleeps).toEqual([]);
  });

  it('an empty envelope is not final (the harness kept waiting): it times out', async () => {
    const cwd = tempDir();
    writeRun(cwd, 'a', { final: {} });
    const [c] = scan(runtimeLayout(cwd, 'runtime'), { runId: 'r', seed: null, models: null }).candidates;
    const [r] = await monitorAll([c!], { pollMs: 1000, timeoutMs: 5000, clock: fakeClock(), watch: null });
    expect(r?.monitor_timeout).toBe(true);
  });

  it('several runs are monitored concurrently: total wait is one timeout, not one per run', async () => {
    const cwd = tempDir();
    for (const i of ['a', 'b', 'c']) writeRun(cwd, i, { final: done, tmp: done });
    const cands = scan(runtimeLayout(cwd, 'runtime'), { runId: 'r', seed: null, models: null }).candidates;
    let now = 0;
    const clock: Clock = { now: () => now, sleep: async (ms) => { await Promise.resolve(); now += ms / 3; } };
    const rs = await monitorAll(cands, { pollMs: 15_000, timeoutMs: 600_000, clock, watch: null });
    expect(rs.every((r) => r.monitor_timeout)).toBe(true);
    expect(now).toBeLessThanOrEqual(600_000 + 15_000);
  });
});

describe('monitor with a real harness process', () => {
  async function runFake(opts: { watch: boolean; pollMs: number; exitStatus?: string }) {
    const cwd = tempDir();
    const runtime = path.join(cwd, 'runtime');
    const child = spawn(process.execPath, [FAKE, runtime, 'r', '20261121T000000_seed1', '400', opts.exitStatus ?? 'normal'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = readline.createInterface({ input: child.stdout });
    const it = lines[Symbol.asyncIterator]();
    expect((await it.next()).value).toBe('tmp');
    const layout = runtimeLayout(cwd, 'runtime');
    const cands = scan(layout, { runId: 'r', seed: null, models: null }).candidates;
    expect(cands.map((c) => [c.status, c.has_final])).toEqual([['active', false]]);
    let judgedAt = 0;
    const monitoring = monitorAll(cands, { pollMs: opts.pollMs, timeoutMs: 30_000, ...(opts.watch ? {} : { watch: null }), onJudged: () => (judgedAt = Date.now()) });
    const renamed = Number(String((await it.next()).value).split(' ')[1]);
    const [r] = await monitoring;
    child.kill();
    return { r, latency: judgedAt - renamed, cand: cands[0]! };
  }

  it('notices the rename through file-system events (poll interval 60 s, so only events can explain it)', async () => {
    const { r, latency, cand } = await runFake({ watch: true, pollMs: 60_000 });
    expect(r).toMatchObject({ outcome: 'finished', status: 'complete', monitor_timeout: false });
    expect(cand.model_id).toBe('fake:1');
    // The target is 0.5 s; the bound is generous so a loaded machine cannot make the test flaky.
    expect(latency).toBeLessThan(3000);
  });

  it('falls back to polling when there are no file events', async () => {
    const { r, latency } = await runFake({ watch: false, pollMs: 50 });
    expect(r?.status).toBe('complete');
    expect(latency).toBeLessThan(3000);
  });

  it('a run that finishes incomplete is judged when its temp file goes', async () => {
    const { r } = await runFake({ watch: true, pollMs: 60_000, exitStatus: 'incomplete' });
    expect(r).toMatchObject({ outcome: 'finished_incomplete', status: 'incomplete', monitor_timeout: false });
  });
});
