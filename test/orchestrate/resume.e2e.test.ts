/** kill -9 of the orchestrator mid-way, then `orchestrate resume`: it finishes and no task runs twice. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Json } from './helpers.js';
import { jsonOf, killOrchestrator, makeOrchRepo, record, removeRepo, runrIn } from './helpers.js';

const dirs: string[] = [];
const ids: Array<[string, string]> = [];
afterAll(() => {
  for (const [d, id] of ids) killOrchestrator(d, id);
  for (const d of dirs) removeRepo(d);
});

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function calls(file: string): Array<{ task: string; phase: string; run: string }> {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [task = '', phase = '', , run = ''] = l.split(' ');
      return { task, phase, run };
    });
}

describe('orchestrate resume after kill -9', () => {
  it('finishes every task, none twice; status is consistent before and after', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'runr-orch-calls-'));
    dirs.push(tmp);
    const callsFile = path.join(tmp, 'calls.log');
    const tracks: Record<string, Record<string, { write: Record<string, string> }>> = {};
    for (const t of ['a', 'b']) {
      tracks[t] = {};
      for (const n of [1, 2, 3]) tracks[t][`${t}${n}`] = { write: { [`src/${t}${n}.txt`]: `${t}${n}\n` } };
    }
    const dir = makeOrchRepo({ tracks, worker: 'command', callsFile, workerSleepMs: 600 });
    dirs.push(dir);
    const start = runrIn(dir, ['orchestrate', 'run', '--config', 'tracks.yaml', '--worktree', '--fast', '--json']);
    expect(start.status, start.stderr).toBe(0);
    const id = jsonOf(start).orchestration_id as string;
    ids.push([dir, id]);
    // Wait until at least one task has landed and another is running, then kill -9 the orchestrator.
    let orch: Json = {};
    for (let i = 0; i < 600; i++) {
      orch = record(dir, id);
      const tasks = (orch.orchestration?.tracks ?? []).flatMap((t: Json) => t.tasks as Json[]) as Json[];
      if (tasks.some((k) => k.state === 'landed') && tasks.some((k) => k.state === 'running')) break;
      sleep(100);
    }
    const driver = JSON.parse(fs.readFileSync(path.join(dir, '.runr', 'runs', id, 'logs', 'driver.json'), 'utf8')) as { pid: number };
    process.kill(driver.pid, 'SIGKILL');
    sleep(300);
    const before = calls(callsFile);
    const landedBefore = (orch.orchestration.tracks as Json[]).flatMap((t) => (t.tasks as Json[]).filter((k) => k.state === 'landed').map((k) => k.path as string));
    expect(landedBefore.length).toBeGreaterThan(0);
    // Status notices the dead orchestrator: stopped, interrupted, next action resume.
    const dead = jsonOf(runrIn(dir, ['orchestrate', 'status', id, '--json']));
    expect(dead).toMatchObject({ status: 'stopped', stop_reason: 'interrupted', next_action: 'resume', suggested_command: `runr orchestrate resume ${id}` });
    const waitDead = runrIn(dir, ['orchestrate', 'wait', id, '--for', 'terminal', '--timeout', '5']);
    expect(waitDead.status).toBe(3);
    // Resume finishes it.
    const resumed = runrIn(dir, ['orchestrate', 'resume', id, '--json']);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(jsonOf(resumed)).toMatchObject({ orchestration_id: id, status: 'resumed' });
    const wait = runrIn(dir, ['orchestrate', 'wait', id, '--for', 'terminal', '--timeout', '180', '--json'], { timeoutMs: 200_000 });
    expect(wait.status, wait.stdout).toBe(0);
    const done = jsonOf(wait);
    expect(done).toMatchObject({ status: 'complete', landed: 6, tasks_total: 6 });
    // No task ran twice: one task run per task, and tasks landed before the kill got no new calls.
    const after = calls(callsFile);
    const all = record(dir, id);
    for (const t of all.orchestration.tracks as Json[]) for (const k of t.tasks as Json[]) expect(k.state).toBe('landed');
    const allRuns = fs
      .readdirSync(path.join(dir, '.runr', 'runs'))
      .filter((n) => n.startsWith('run_') && n !== id)
      .map((n) => record(dir, n))
      .filter((r) => r.params?.orchestration_id === id);
    for (const r of allRuns.filter((x) => x.task === undefined)) expect(after.filter((c) => c.run === r.run_id)).toEqual([]);
    const taskRuns = allRuns
      // A run the kill caught before it started (no task.started, no worker call) is canceled, not counted.
      .filter((r) => r.status !== 'CANCELED' || r.task !== undefined);
    expect(taskRuns).toHaveLength(6);
    expect(new Set(taskRuns.map((r) => `${r.params.track as string}/${r.params.task_index as number}`)).size).toBe(6);
    const newCalls = after.slice(before.length);
    for (const p of landedBefore) expect(newCalls.filter((c) => c.task === path.basename(p))).toEqual([]);
    // Every task's calls came from its one run; a task that completed never got a second IMPLEMENT
    // unless it was the one cut short by the kill.
    for (const r of taskRuns) {
      const mine = after.filter((c) => c.run === r.run_id);
      expect(mine.length).toBeGreaterThan(0);
      expect(after.filter((c) => c.task === path.basename(r.params.task as string) && c.run !== r.run_id)).toEqual([]);
    }
    const implementCalls = (task: string) => after.filter((c) => c.task === task && c.phase === 'IMPLEMENT').length;
    const twice = taskRuns.map((r) => path.basename(r.params.task as string)).filter((t) => implementCalls(t) > 1);
    expect(twice.length).toBeLessThanOrEqual(2); // at most the tasks in flight at the kill (one per track)
    // No orchestrator or worker left behind.
    const ps = spawnSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' }).stdout;
    expect(ps.split('\n').filter((l) => l.includes(`orchestrate drive ${id}`))).toEqual([]);
  });
});
