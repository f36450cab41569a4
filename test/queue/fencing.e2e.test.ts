/**
 * Lost leases and cancels on a real PostgreSQL and a real Redis: a worker paused (SIGSTOP) past its lockDuration
 * loses the run to another worker and, once resumed, can record nothing (its writes are refused
 * and counted); a cancel kills the run's process group and the run ends `canceled`.
 */
import { describe, expect, it } from 'vitest';
import { checkpointCommits, events, groupAlive, json, makeQueueRepo, runGroup, runrIn, servicesAvailable, sh, slowScript, startWorker, until, useQueueServers } from './helpers.js';

const avail = servicesAvailable();
const FAST_LEASE = ['--lock-duration', '2000', '--stalled-interval', '1000', '--heartbeat', '300'];


describe.skipIf(!avail.ok).each(['postgres', 'redis'] as const)('fencing and cancel on %s', (backend) => {
  const qs = useQueueServers(backend, 'SIGKILL');
  const { repos, workers, base } = qs;
  const row = (_url: string, id: string) => qs.reg.row(id);

  it('a worker paused past its lease cannot record a result after another worker took the run over', async () => {
    const repo = makeQueueRepo({ script: slowScript(3000) });
    repos.push(repo);
    const url = base();
    const q = `${url}?queue=fence`;
    const id = 'run_20260101T000000000Z_task_fence1';
    json(runrIn(repo.dir, ['submit', '--task', '.runr/tasks/task.md', '--queue', q, '--id', id, '--json']));
    const a = startWorker({ workDir: repo.workDir, repo: repo.remote, queue: q, name: 'wa', args: FAST_LEASE });
    workers.push(a);
    await until('worker A to start the run', async () => (await row(url, id))?.status === 'running' && (await row(url, id))?.worker === 'wa');
    process.kill(a.child.pid!, 'SIGSTOP'); // the worker only: its run process goes on and may even finish
    const b = startWorker({ workDir: repo.workDir, repo: repo.remote, queue: q, name: 'wb', args: FAST_LEASE });
    workers.push(b);
    await until('worker B to take the run over (attempt 2)', async () => (await row(url, id))?.attempt === 2 && (await row(url, id))?.worker === 'wb');
    await until('attempt 2 to finish', async () => (await row(url, id))?.status === 'succeeded', 180_000);
    const tip = (await row(url, id))!.outcome!.branch_sha;
    process.kill(a.child.pid!, 'SIGCONT');
    await until('worker A to try to record its outcome', () => events(a).some((e) => e.type === 'fenced' && e.op === 'finish'), 120_000);

    // Exactly one outcome, from attempt 2; A's writes refused and counted.
    expect((await qs.reg.terminalCounts()).get(id)).toBe(1);
    expect((await row(url, id))!.attempt).toBe(2);
    const fenced = (await qs.reg.fenced(id)).filter((f) => f.worker === 'wa').map((f) => `${f.op}:${f.attempt}:${f.current_attempt}:${f.reason}`);
    expect(fenced).toContain('finish:1:2:stale_attempt');
    const status = json(runrIn(repo.dir, ['queue', 'status', '--queue', q, '--json']));
    expect(status.fenced_writes).toBeGreaterThanOrEqual(1);

    // The shared branch holds attempt 2's work only: unchanged by A, each checkpoint once.
    sh(repo.dir, ['fetch', '-q', 'origin']);
    expect(sh(repo.dir, ['rev-parse', `origin/runr/${id}`]).trim()).toBe(tip);
    const milestones = checkpointCommits(repo.dir, `origin/runr/${id}`).map((c) => c.milestone).filter((m) => m !== '');
    expect(milestones.sort()).toEqual(['m1', 'm2']);
    expect(sh(repo.dir, ['log', '-1', '--format=%(trailers:key=Runr-Attempt,valueonly)', `origin/runr/${id}`]).trim()).toBe('2');
    await a.stop();
    await b.stop();
  });

  it('cancel removes a waiting job and kills a running run’s process group; both end canceled', async () => {
    const repo = makeQueueRepo({ script: slowScript(120_000) });
    repos.push(repo);
    const url = base();
    const q = `${url}?queue=cancel`;
    const running = 'run_20260101T000000000Z_task_cancl1';
    const waiting = 'run_20260101T000000000Z_task_cancl2';
    const w = startWorker({ workDir: repo.workDir, repo: repo.remote, queue: q, name: 'wc', args: ['--heartbeat', '500'] });
    workers.push(w);
    json(runrIn(repo.dir, ['submit', '--task', '.runr/tasks/task.md', '--queue', q, '--id', running, '--json']));
    await until('the run to start', async () => (await row(url, running))?.status === 'running');
    const pgid = await until('the run process to exist', () => runGroup(running));
    json(runrIn(repo.dir, ['submit', '--task', '.runr/tasks/task.md', '--queue', q, '--id', waiting, '--json']));

    const cw = json(runrIn(repo.dir, ['cancel', waiting, '--queue', q, '--json']));
    expect(cw).toMatchObject({ kind: 'canceled_now', removed_job: true });
    const cr = json(runrIn(repo.dir, ['cancel', running, '--queue', q, '--json']));
    expect(cr).toMatchObject({ kind: 'requested', worker: 'wc' });
    const t0 = Date.now();
    await until('the running run to end canceled', async () => (await row(url, running))?.status === 'canceled', 60_000, 100);
    const seen = Date.now() - t0;
    // The worker records `canceled` only after the group is gone.
    expect(groupAlive(pgid)).toBe(false);
    await until('the worker to report the kill', () => events(w).some((e) => e.type === 'canceled' && e.run_id === running));
    const ev = events(w).find((e) => e.type === 'canceled' && e.run_id === running)!;
    expect(typeof ev.kill_ms).toBe('number');
    process.stderr.write(`cancel: registry canceled ${seen} ms after the cancel command; process group gone ${String(ev.kill_ms)} ms after the worker saw it\n`);
    expect((await row(url, waiting))?.status).toBe('canceled');
    // A canceled run cannot be canceled again, and the waiting one never ran.
    expect(runrIn(repo.dir, ['cancel', running, '--queue', q]).status).toBe(1);
    expect(events(w).some((e) => e.type === 'claimed' && e.run_id === waiting)).toBe(false);
    await w.stop();
  });
});
