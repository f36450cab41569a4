/**
 * Submit → worker → one outcome, on a real PostgreSQL and a real Redis (scripts/services.sh), with the built CLI:
 * idempotent submit, the record pushed on the run's branch, `queue sync` bringing it home.
 */
import { describe, expect, it } from 'vitest';
import { checkpointCommits, events, json, makeQueueRepo, runrIn, servicesAvailable, sh, startWorker, until, useQueueServers } from './helpers.js';

const avail = servicesAvailable();

describe.skipIf(!avail.ok).each(['postgres', 'redis'] as const)('queue on %s', (backend) => {
  const qs = useQueueServers(backend, 'SIGTERM');
  const { repos, workers, base } = qs;

  it('runs a submitted task once, even when submitted twice, and syncs its record home', async () => {
    const repo = makeQueueRepo();
    repos.push(repo);
    const q = `${base()}?queue=e2e1`;
    const id = 'run_20260101T000000000Z_task_aaaaa1';
    const s1 = json(runrIn(repo.dir, ['submit', '--task', '.runr/tasks/task.md', '--queue', q, '--id', id, '--json']));
    expect(s1).toMatchObject({ run_id: id, status: 'queued', created: true });
    const s2 = json(runrIn(repo.dir, ['submit', '--task', '.runr/tasks/task.md', '--queue', q, '--id', id, '--json']));
    expect(s2).toMatchObject({ run_id: id, status: 'queued', created: false });
    const queued = json(runrIn(repo.dir, ['queue', 'status', '--queue', q, '--json']));
    expect(queued.counts.queued).toBe(1);

    const w = startWorker({ workDir: repo.workDir, repo: repo.remote, queue: q, name: 'w1' });
    workers.push(w);
    const waited = runrIn(repo.dir, ['queue', 'wait', id, '--queue', q, '--timeout', '120', '--json'], { timeoutMs: 150_000 });
    expect(waited.status, waited.stderr).toBe(0);
    expect(json(waited)).toMatchObject({ run_id: id, status: 'succeeded', attempt: 1, synced: 'synced' });

    // One terminal record in the registry, one job in BullMQ.
    expect((await qs.reg.terminalCounts()).get(id)).toBe(1);
    const st = json(runrIn(repo.dir, ['queue', 'status', '--queue', q, '--json']));
    expect(st.counts).toMatchObject({ queued: 0, running: 0, succeeded: 1 });

    // The run's branch on the shared remote: two checkpoints, then the record commit.
    const branch = `runr/${id}`;
    const commits = checkpointCommits(repo.dir, branch).filter((c) => c.milestone !== '');
    expect(commits.map((c) => c.milestone).sort()).toEqual(['m1', 'm2']);
    expect(sh(repo.dir, ['log', '-1', '--format=%(trailers:key=Runr-Record,valueonly)', branch]).trim()).toBe(id);

    // The record came home: status, the manifest and audit see it locally.
    const local = json(runrIn(repo.dir, ['status', id, '--json']));
    expect(local).toMatchObject({ run_id: id, status: 'PASSED', stop_reason: 'complete' });
    const audit = runrIn(repo.dir, ['audit', id]);
    expect(audit.status, audit.stdout + audit.stderr).toBe(0);
    const found = runrIn(repo.dir, ['find', `run_id = "${id}"`, '--json']);
    expect(found.stdout).toContain(id);
    // A second sync changes nothing.
    const again = json(runrIn(repo.dir, ['queue', 'sync', '--queue', q, '--json']));
    expect(again).toMatchObject({ synced: 0, unchanged: 1 });
    // (the worker's event lines are read while the test waits, not during spawnSync)
    await until('the worker to report the outcome', () => events(w).some((e) => e.type === 'finished'));
    expect(events(w).filter((e) => e.type === 'finished')).toHaveLength(1);
  });
});
