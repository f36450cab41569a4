/**
 * Cancel with several runs running at once on one worker (`--concurrency 3`), on a real PostgreSQL
 * and a real Redis: a waiting job is removed (the run ends `canceled` and never starts); each running
 * run's process group is killed and the run ends `canceled`; the other runs are not touched until
 * their own cancel. The time from each cancel to the group gone is printed (the target is 5 s: the
 * worker sees the flag at its next heartbeat, then SIGTERM → 2 s → SIGKILL).
 */
import { describe, expect, it } from 'vitest';
import { events, groupAlive, json, makeQueueRepo, runGroup, runrBg, runrIn, servicesAvailable, slowScript, startWorker, until, useQueueServers } from './helpers.js';

const avail = servicesAvailable();

describe.skipIf(!avail.ok).each(['postgres', 'redis'] as const)('cancel of concurrent runs on %s', (backend) => {
  const qs = useQueueServers(backend, 'SIGKILL');
  const { repos, workers, base } = qs;

  it('kills each running run’s process group and removes the waiting job', async () => {
    const repo = makeQueueRepo({ script: slowScript(120_000) });
    repos.push(repo);
    const q = `${base()}?queue=cancel`;
    const running = [1, 2, 3].map((i) => `run_20260101T000000000Z_task_ccnc${i}0`);
    const waiting = 'run_20260101T000000000Z_task_ccnc40';
    const w = startWorker({ workDir: repo.workDir, repo: repo.remote, queue: q, name: 'wcc', args: ['--concurrency', '3', '--heartbeat', '500'] });
    workers.push(w);
    for (const id of running) json(runrIn(repo.dir, ['submit', '--task', '.runr/tasks/task.md', '--queue', q, '--id', id, '--json']));
    const groups = new Map<string, number>();
    await until('the three runs to be running, each in its process group', async () => {
      for (const id of running) {
        const r = await qs.reg.row(id);
        const g = r?.status === 'running' ? runGroup(id, r.attempt) : null;
        if (g !== null) groups.set(id, g);
      }
      return groups.size === 3;
    }, 180_000, 200);
    json(runrIn(repo.dir, ['submit', '--task', '.runr/tasks/task.md', '--queue', q, '--id', waiting, '--json']));
    expect(json(runrIn(repo.dir, ['cancel', waiting, '--queue', q, '--json']))).toMatchObject({ kind: 'canceled_now', removed_job: true });

    // Cancel two of them at once; the third keeps running.
    const [a, b, c] = running as [string, string, string];
    const cancels = [a, b].map((id) => runrBg(repo.dir, ['cancel', id, '--queue', q, '--json']));
    for (const x of await Promise.all(cancels.map((k) => k.done))) expect(json({ status: x.status, signal: null, stdout: x.stdout, stderr: x.stderr })).toMatchObject({ kind: 'requested', worker: 'wcc' });
    // From the moment both cancels are recorded (the commands returned).
    const t0 = Date.now();
    const seen: Record<string, number> = {};
    await until('both runs to end canceled', async () => {
      for (const id of [a, b]) if (seen[id] === undefined && (await qs.reg.row(id))?.status === 'canceled') seen[id] = Date.now() - t0;
      return Object.keys(seen).length === 2;
    }, 60_000, 100);
    // The worker records `canceled` only after the group is gone.
    for (const id of [a, b]) expect(groupAlive(groups.get(id)!)).toBe(false);
    expect((await qs.reg.row(c))?.status).toBe('running');
    expect(groupAlive(groups.get(c)!)).toBe(true);
    json(runrIn(repo.dir, ['cancel', c, '--queue', q, '--json']));
    await until('the third run to end canceled', async () => (await qs.reg.row(c))?.status === 'canceled', 60_000, 100);
    expect(groupAlive(groups.get(c)!)).toBe(false);

    await until('the worker to report the kills', () => events(w).filter((e) => e.type === 'canceled' && running.includes(e.run_id as string)).length === 3);
    const killMs = Object.fromEntries(events(w).filter((e) => e.type === 'canceled').map((e) => [e.run_id as string, e.kill_ms]));
    process.stderr.write(`cancel x3 (${backend}): registry canceled ${JSON.stringify(seen)} ms after the cancel commands returned; group gone after the worker saw the flag: ${JSON.stringify(killMs)} ms\n`);
    for (const id of running) expect((await qs.reg.terminalCounts()).get(id)).toBe(1);
    expect((await qs.reg.row(waiting))?.status).toBe('canceled');
    expect(events(w).some((e) => e.type === 'claimed' && e.run_id === waiting)).toBe(false);
    await w.stop();
  }, 600_000);
});
