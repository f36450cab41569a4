/**
 * `runr status`, `wait`, `watch` and `follow` on a queued and then remote run (`--queue`), on a real
 * PostgreSQL and a real Redis, with the built CLI: while the run is queued or running on a worker
 * they report the registry's state; once it is finished its record comes home and they go on as for
 * a local run (the record's status, journal, report).
 */
import { describe, expect, it } from 'vitest';
import { json, jsonLines, makeQueueRepo, runrBg, runrIn, servicesAvailable, startWorker, twoStepScript, until, useQueueServers } from './helpers.js';

const avail = servicesAvailable();

describe.skipIf(!avail.ok).each(['postgres', 'redis'] as const)('status, wait, watch, follow of a queued run on %s', (backend) => {
  const qs = useQueueServers(backend, 'SIGKILL');
  const { repos, workers, base } = qs;

  it('reports the registry while queued/running, then the record', async () => {
    const repo = makeQueueRepo({ script: twoStepScript(200, 6000) });
    repos.push(repo);
    const q = `${base()}?queue=remote`;
    const id = 'run_20260101T000000000Z_task_remot1';
    json(runrIn(repo.dir, ['submit', '--task', '.runr/tasks/task.md', '--queue', q, '--id', id, '--json']));

    // Queued: status from the registry; a wait that times out says so (exit 124).
    expect(json(runrIn(repo.dir, ['status', id, '--queue', q, '--json']))).toMatchObject({ source: 'queue', run_id: id, status: 'queued', attempt: 0 });
    const w1 = runrIn(repo.dir, ['wait', id, '--for', 'terminal', '--queue', q, '--timeout', '1', '--json']);
    expect(w1.status).toBe(124);
    expect(json(w1)).toMatchObject({ run_id: id, status: 'queued', result: 'timeout' });
    // RUNR_QUEUE works as --queue does.
    expect(json(runrIn(repo.dir, ['status', id, '--json'], { env: { RUNR_QUEUE: q } }))).toMatchObject({ source: 'queue', status: 'queued' });
    // --auto-resume is for local runs: the queue retries a queued run itself.
    const ar = runrIn(repo.dir, ['watch', id, '--queue', q, '--auto-resume']);
    expect(ar.status).toBe(2);
    expect(ar.stderr + ar.stdout).toMatch(/in the queue/);

    const follow = runrBg(repo.dir, ['follow', id, '--queue', q, '--json']);
    const watch = runrBg(repo.dir, ['watch', id, '--queue', q, '--json']);
    await until('follow and watch to report the queued run', () => follow.out().includes('"queue.state"') && watch.out().includes('"event":"queue"'), 120_000, 100);
    const w = startWorker({ workDir: repo.workDir, repo: repo.remote, queue: q, name: 'rw1', args: ['--heartbeat', '300'] });
    workers.push(w);
    await until('the run to be running', async () => (await qs.reg.row(id))?.status === 'running', 120_000, 200);
    // (status prints JSON when stdout is not a terminal, as for local runs)
    expect(json(runrIn(repo.dir, ['status', id, '--queue', q]))).toMatchObject({ source: 'queue', run_id: id, status: 'running', worker: 'rw1', attempt: 1 });

    // Finished: wait brings the record home and decides the condition on it.
    const done = runrIn(repo.dir, ['wait', id, '--for', 'complete', '--queue', q, '--timeout', '240', '--json'], { timeoutMs: 300_000 });
    expect(done.status, done.stdout + done.stderr).toBe(0);
    expect(json(done)).toMatchObject({ run_id: id, result: 'met', milestones_completed: 2 });
    expect(json(runrIn(repo.dir, ['status', id, '--queue', q, '--json']))).toMatchObject({ run_id: id, status: 'PASSED', stop_reason: 'complete' });

    // follow: the registry's states, then the record's journal, then the end.
    const f = await follow.done;
    expect(f.status, f.stderr).toBe(0);
    const fl = jsonLines(f.stdout);
    const states = fl.filter((l) => l.type === 'queue.state').map((l) => l.status);
    expect(states[0]).toBe('queued');
    expect(states).toContain('running');
    expect(fl.some((l) => typeof l.type === 'string' && l.type.startsWith('task.') && l.run_id === id)).toBe(true);
    expect(fl.at(-1)).toMatchObject({ type: 'follow.end', run_id: id, stop_reason: 'complete' });

    // watch: the registry's states, then the outcome.
    const wr = await watch.done;
    expect(wr.status, wr.stderr).toBe(0);
    const wl = jsonLines(wr.stdout);
    expect(wl.filter((l) => l.event === 'queue').map((l) => l.status)).toContain('running');
    expect(wl.at(-1)).toMatchObject({ event: 'succeeded', run_id: id });
    await w.stop();
  }, 600_000);
});
