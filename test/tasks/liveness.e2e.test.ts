/**
 * Liveness: kill -9 in the middle of IMPLEMENT (the orphaned worker is reaped, the run shows as
 * interrupted, resume completes without a duplicate checkpoint), Ctrl-C, refusing to resume a live
 * run, and two runs started at the same time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Json } from './helpers.js';
import { baseConfig, checkpointCommits, json, makeTaskRepo, readRecord, removeRepo, runrIn, TWO_MILESTONES } from './helpers.js';
import { killSpawned, onlyRunId, pidAlive, processWorker, spawnRunr, waitFor } from '../helpers/processes.js';

const dirs: string[] = [];
afterEach(() => {
  killSpawned();
  for (const d of dirs.splice(0)) removeRepo(d);
});

/** m2's first IMPLEMENT hangs (60 s) in a worker process; the second attempt writes the file. */
function hangingScript() {
  return {
    ...TWO_MILESTONES,
    milestones: { ...TWO_MILESTONES.milestones, m2: { implement: [{ sleep_ms: 60_000, write: { 'src/half.ts': 'x\n' } }, TWO_MILESTONES.milestones.m2.implement[0]] } },
  };
}

/** The scripted worker as a real child process (its own process group), reading the worktree's copy of the script. */
function processWorkerConfig() {
  return baseConfig({
    workers: processWorker(),
    phases: {},
  });
}

describe('liveness', () => {
  it('kill -9 during IMPLEMENT: the run shows as interrupted, the orphaned worker is reaped, resume completes with no duplicate checkpoint', async () => {
    const dir = makeTaskRepo({ script: hangingScript(), config: processWorkerConfig() });
    dirs.push(dir);
    const { child } = spawnRunr(dir, ['run', '--task', '.runr/tasks/task.md', '--worktree', '--json', '--foreground']);
    const id = await waitFor('the run', () => onlyRunId(dir, child));
    const pidFile = path.join(dir, '.runr', 'runs', id, 'logs', 'worker.pid');
    // Wait until m1 is checkpointed and m2's worker is running.
    await waitFor('m2 IMPLEMENT', () => {
      const run = readRecord(dir, id);
      return run.task?.engine?.milestone_index === 1 && run.phase === 'IMPLEMENT' && fs.existsSync(pidFile);
    });
    const workerPid = (JSON.parse(fs.readFileSync(pidFile, 'utf8')) as { pid: number }).pid;
    child.kill('SIGKILL');
    await waitFor('runr to die', () => child.exitCode !== null || child.signalCode !== null);
    expect(pidAlive(workerPid)).toBe(true); // the worker's group survived its parent…

    // `run list` shows the dead run as stopped without writing anything.
    const listed = json<Json>(runrIn(dir, ['run', 'list', '--json'])) as { runs: Array<{ run_id: string; status: string; stop_reason?: string }> };
    expect(listed.runs.find((r) => r.run_id === id)).toMatchObject({ status: 'STOPPED', stop_reason: 'interrupted' });
    expect(readRecord(dir, id).status).toBe('RUNNING');

    const st = json<Json>(runrIn(dir, ['status', id]));
    expect(st).toMatchObject({ status: 'STOPPED', phase: 'STOPPED', stop_reason: 'interrupted', resumable: true, alive: false, milestone_index: 1 });
    await waitFor('the orphan to be reaped', () => !pidAlive(workerPid), 5000); // …until status reaped it
    expect(readRecord(dir, id, 'handoffs/stop.json')).toMatchObject({ stop_reason: 'interrupted', stopped_in: 'IMPLEMENT' });

    const resumed = runrIn(dir, ['resume', id, '--json', '--foreground']);
    expect(resumed.status, resumed.stderr).toBe(0);
    const cps = checkpointCommits(dir, `runr/${id}`);
    expect(cps.map((c) => c.milestone)).toEqual(['m2', 'm1']);
    expect(json<Json>(runrIn(dir, ['report', id, '--json']))).toMatchObject({ outcome: 'complete', milestones: { completed: 2, total: 2 } });
  });

  it('SIGINT stops the worker, records interrupted, releases the lock and exits 130; a live run cannot be resumed', async () => {
    const dir = makeTaskRepo({ script: hangingScript() });
    dirs.push(dir);
    const { child, done } = spawnRunr(dir, ['run', '--task', '.runr/tasks/task.md', '--worktree', '--json', '--foreground']);
    const id = await waitFor('the run', () => onlyRunId(dir, child));
    await waitFor('m2 IMPLEMENT', () => readRecord(dir, id).task?.engine?.milestone_index === 1 && readRecord(dir, id).phase === 'IMPLEMENT');

    const live = runrIn(dir, ['resume', id]);
    expect(live.status).toBe(1);
    expect(live.stderr).toMatch(/still running/);
    expect(json<Json>(runrIn(dir, ['status', id]))).toMatchObject({ status: 'RUNNING', alive: true, stop_reason: null, phase: 'IMPLEMENT' });
    expect(json<Json>(runrIn(dir, ['report', id, '--json']))).toMatchObject({ outcome: 'running', stop_reason: null, ended_at: null, next_action: 'none' });

    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(130);
    expect(JSON.parse(r.stdout)).toMatchObject({ run_id: id, status: 'started' });
    expect(fs.existsSync(path.join(dir, '.runr', 'runs', id, 'logs', 'run.lock'))).toBe(false);
    expect(json<Json>(runrIn(dir, ['status', id]))).toMatchObject({ stop_reason: 'interrupted', resumable: true });
    expect(runrIn(dir, ['resume', id]).status).toBe(0);
    expect(checkpointCommits(dir, `runr/${id}`)).toHaveLength(2);
  });

  it('two runs started together never share anything', async () => {
    const dir = makeTaskRepo();
    dirs.push(dir);
    const a = spawnRunr(dir, ['run', '--task', '.runr/tasks/task.md', '--worktree', '--json', '--foreground']);
    const b = spawnRunr(dir, ['run', '--task', '.runr/tasks/task.md', '--worktree', '--json', '--foreground']);
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expect([ra.code, rb.code], ra.stderr + rb.stderr).toEqual([0, 0]);
    const ida = (JSON.parse(ra.stdout) as { run_id: string }).run_id;
    const idb = (JSON.parse(rb.stdout) as { run_id: string }).run_id;
    expect(ida).not.toBe(idb);
    for (const id of [ida, idb]) {
      const cps = checkpointCommits(dir, `runr/${id}`);
      expect(cps.map((c) => c.run)).toEqual([id, id]);
    }
  });
});

describe('in-place runs', () => {
  it('only one run works in place at a time', async () => {
    const dir = makeTaskRepo({ script: hangingScript() });
    dirs.push(dir);
    const { child, done } = spawnRunr(dir, ['run', '--task', '.runr/tasks/task.md', '--json', '--foreground']);
    void done.then((r) => process.stderr.write(r.stderr));
    const id = await waitFor('the run', () => onlyRunId(dir, child));
    await waitFor('IMPLEMENT', () => readRecord(dir, id).phase === 'IMPLEMENT');
    const second = runrIn(dir, ['run', '--task', '.runr/tasks/task.md', '--allow-dirty', '--json', '--foreground']);
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(/another runr task run is working in place/);
    child.kill('SIGTERM');
    expect((await done).code).toBe(130);
  });
});
