/**
 * No run outlives its worker, however a supervisor stops it (real PostgreSQL, the built CLI). The
 * worker is started as a user's supervisor starts it: through a wrapper shell in a process group of
 * its own that forwards SIGTERM to the worker. A SIGTERM to that group reaches the worker twice (the
 * group's and the forwarded one), unless the kernel merges the two: the second forces the worker's
 * exit (the test signals the group until it exits, so it does not depend on that timing). That exit used to leave the
 * run's process group (a process group of its own, for cancel) running. Now:
 * - a forced exit (a second SIGTERM) kills the runs in hand; the run is handed back (another worker
 *   claims attempt 2);
 * - a SIGKILL of the wrapper's group (the worker killed -9): the run process sees its parent gone and
 *   stops its own group;
 * - one SIGTERM (--drain, the default): the worker finishes the run, records it, then exits.
 */
import { describe, expect, it } from 'vitest';
import { events, groupAlive, json, makeQueueRepo, runGroup, runrIn, servicesAvailable, slowScript, startWorker, until, useQueueServers } from './helpers.js';
import type { WorkerProc } from './helpers.js';

const avail = servicesAvailable();
/** The wrapper: `setsid` gives it its own group; it forwards SIGTERM to the worker and waits for it. */
const WRAP = ['setsid', 'bash', '-c', '"$@" & pid=$!; trap \'kill -TERM $pid\' TERM; wait $pid; wait $pid', 'supervisor'];
const LEASE = ['--lock-duration', '3000', '--stalled-interval', '1500', '--heartbeat', '500'];

const exited = (w: WorkerProc): boolean => w.child.exitCode !== null || w.child.signalCode !== null;

describe.skipIf(!avail.ok)('a worker stopped through its supervisor (postgres)', () => {
  const qs = useQueueServers('postgres', 'SIGKILL');

  /** Submit a run and wait until its run process is running; returns its process group. */
  const running = async (dir: string, q: string, id: string): Promise<number> => {
    expect(json(runrIn(dir, ['submit', '--task', '.runr/tasks/task.md', '--queue', q, '--id', id, '--json']))).toMatchObject({ status: 'queued' });
    return until(`${id} to be running in its process group`, async () => {
      const r = await qs.reg.row(id);
      return r?.status === 'running' ? runGroup(id, r.attempt) : null;
    }, 400_000, 200);
  };

  it('SIGTERM to the supervisor’s group (forwarded too): the run is killed and handed back', async () => {
    const repo = makeQueueRepo({ script: slowScript(600_000) });
    qs.repos.push(repo);
    const q = `${qs.base()}?queue=signal`;
    const id = 'run_20260101T000000000Z_task_sgterm';
    const w = startWorker({ workDir: repo.workDir, repo: repo.remote, queue: q, name: 'sg1', args: LEASE, wrap: WRAP });
    qs.workers.push(w);
    const group = await running(repo.dir, q, id);
    // Two SIGTERMs that arrive together can be delivered as one (signals do not queue), and one is
    // a drain (the third case); so the group is signalled again, a second apart, until it exits.
    await until('the supervisor and its worker to exit', () => {
      if (!exited(w)) process.kill(-w.child.pid!, 'SIGTERM');
      return exited(w);
    }, 120_000, 1000);
    // The run (600 s of work left) must not be running on without its worker.
    await until('the run’s process group to be gone', () => !groupAlive(group), 30_000, 200);
    expect(runGroup(id)).toBeNull();
    // Handed back: another worker takes it (attempt 2); then it is canceled to end the test.
    const w2 = startWorker({ workDir: repo.workDir, repo: repo.remote, queue: q, name: 'sg2', args: LEASE });
    qs.workers.push(w2);
    await until('attempt 2 on the second worker', () => events(w2).some((e) => e.type === 'claimed' && e.run_id === id && e.attempt === 2), 180_000, 200);
    json(runrIn(repo.dir, ['cancel', id, '--queue', q, '--json']));
    await until('the run to end canceled', async () => (await qs.reg.row(id))?.status === 'canceled', 120_000, 200);
    expect((await qs.reg.terminalCounts()).get(id)).toBe(1);
    await w2.stop('SIGTERM');
  }, 600_000);

  it('SIGKILL to the supervisor’s group: the run process stops its own group', async () => {
    const repo = makeQueueRepo({ script: slowScript(600_000) });
    qs.repos.push(repo);
    const q = `${qs.base()}?queue=signal2`;
    const id = 'run_20260101T000000000Z_task_sgkill';
    const w = startWorker({ workDir: repo.workDir, repo: repo.remote, queue: q, name: 'sg3', args: LEASE, wrap: WRAP });
    qs.workers.push(w);
    const group = await running(repo.dir, q, id);
    process.kill(-w.child.pid!, 'SIGKILL');
    await until('the supervisor to exit', () => exited(w), 60_000, 200);
    await until('the orphaned run’s process group to be gone', () => !groupAlive(group), 60_000, 200);
    expect(runGroup(id)).toBeNull();
    json(runrIn(repo.dir, ['cancel', id, '--queue', q, '--json']));
  }, 600_000);

  it('one SIGTERM (--drain): the worker finishes the run, records it, then exits', async () => {
    const repo = makeQueueRepo({ script: slowScript(8000) });
    qs.repos.push(repo);
    const q = `${qs.base()}?queue=signal`;
    const id = 'run_20260101T000000000Z_task_sgdran';
    const w = startWorker({ workDir: repo.workDir, repo: repo.remote, queue: q, name: 'sg4', args: LEASE });
    qs.workers.push(w);
    expect(json(runrIn(repo.dir, ['submit', '--task', '.runr/tasks/task.md', '--queue', q, '--id', id, '--json']))).toMatchObject({ status: 'queued' });
    await until(`${id} to be running`, async () => (await qs.reg.row(id))?.status === 'running', 400_000, 200);
    w.child.kill('SIGTERM');
    await until('the worker to exit', () => exited(w), 400_000, 200);
    expect((await qs.reg.row(id))?.status).toBe('succeeded');
    expect(runGroup(id)).toBeNull();
    expect(events(w).some((e) => e.type === 'finished' && e.run_id === id)).toBe(true);
  }, 600_000);
});
