/**
 * Stalls (issue 8, Deliver 6): a worker call that prints nothing and changes no file for
 * `limits.stall_timeout_s` stops the run with `stalled_timeout` and its whole process group is
 * killed; the run's lock keeps its heartbeat while the worker is silent; a worker that is silent
 * but writing files is not a stall.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Json } from './helpers.js';
import { baseConfig, cleanup, json, makeTaskRepo, readRecord, repoRoot, runrIn, track, trackPid, TWO_MILESTONES, waitFor } from './helpers.js';

afterEach(cleanup);

const QUIET = path.join(repoRoot, 'test', 'fixtures', 'supervise', 'quiet-worker.mjs');
const ONE_MILESTONE = { ...TWO_MILESTONES, plan: { milestones: [TWO_MILESTONES.plan.milestones[0]] } };

function quietConfig(args: string[], stallS: number): Record<string, unknown> {
  return baseConfig({
    workers: { scripted: { adapter: 'scripted', script: '.runr/script.json' }, quiet: { adapter: 'command', command: process.execPath, args: [QUIET, ...args] } },
    phases: { plan: 'scripted', implement: 'quiet', review: 'scripted' },
    limits: { stall_timeout_s: stallS },
  });
}

/** `process.kill(-pgid, 0)`: the error code, or null when some member of the group is still alive. */
function groupSignalError(pgid: number): string | null {
  try {
    process.kill(-pgid, 0);
    return null;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? 'unknown';
  }
}

function pidGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

describe('stalls', () => {
  it('a silent worker ends in stalled_timeout (resumable); its process group is gone; the lock heartbeat went on meanwhile', async () => {
    const scratch = track(fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'runr-stall-'))));
    const pidsFile = path.join(scratch, 'pids.json');
    const dir = track(makeTaskRepo({ config: quietConfig(['silent', pidsFile], 4), script: ONE_MILESTONE }));
    const id = json<Json>(runrIn(dir, ['run', '--task', '.runr/tasks/task.md', '--worktree', '--json'])).run_id as string;
    const pids = await waitFor('the worker to start', () => JSON.parse(fs.readFileSync(pidsFile, 'utf8')) as { worker: number; grandchild: number });
    trackPid(pids.worker);
    trackPid(pids.grandchild);
    // The worker leads its own process group, with the grandchild in it.
    expect(groupSignalError(pids.worker)).toBeNull();

    // While the worker says nothing, the supervisor's heartbeat (the lock's mtime) keeps moving.
    const lock = path.join(dir, '.runr', 'runs', id, 'logs', 'run.lock');
    const first = fs.statSync(lock).mtimeMs;
    await waitFor('a heartbeat', () => fs.statSync(lock).mtimeMs > first);
    expect(fs.existsSync(pidsFile)).toBe(true);

    const w = runrIn(dir, ['wait', id, '--for', 'terminal', '--json']);
    expect(w.status, w.stdout + w.stderr).toBe(3);
    expect(json(w)).toMatchObject({ run_id: id, phase: 'STOPPED', stop_reason: 'stalled_timeout' });
    const st = json<Json>(runrIn(dir, ['status', id]));
    expect(st).toMatchObject({ status: 'STOPPED', stop_reason: 'stalled_timeout' });
    expect(JSON.stringify(readRecord(dir, id))).toMatch(/changed no file/);

    // The whole group was killed: the worker and its grandchild (reparented, then reaped).
    await waitFor('the group to be reaped', () => groupSignalError(pids.worker) === 'ESRCH', 15_000);
    expect(groupSignalError(pids.worker)).toBe('ESRCH');
    expect(pidGone(pids.worker)).toBe(true);
    expect(pidGone(pids.grandchild)).toBe(true);
  });

  it('a worker that prints nothing but keeps writing files is not stalled', () => {
    // Silent for 3 s while appending to a file every 200 ms, with a 1 s stall limit.
    const dir = track(makeTaskRepo({ config: quietConfig(['busy', '3000'], 1), script: ONE_MILESTONE }));
    const r = runrIn(dir, ['run', '--task', '.runr/tasks/task.md', '--worktree', '--foreground', '--json']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const id = (json<Json>(r).run_id ?? '') as string;
    expect(readRecord(dir, id)).toMatchObject({ status: 'PASSED', stop_reason: 'complete' });
  });
});
