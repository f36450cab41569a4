/**
 * Cancel 10 running runs at once on a real PostgreSQL (the chaos run does 50 on 10 simulated
 * hosts: scripts/queue-chaos.sh): two workers × `--concurrency 5`, ten runs each in its own
 * process group, ten `runr cancel` at once. Every group is gone and every run ends `canceled`
 * with one terminal record. The time from each cancel to its group gone is printed, not asserted
 * (the target is 5 s: heartbeat 0.5 s + SIGTERM → 2 s → SIGKILL).
 */
import { describe, expect, it } from 'vitest';
import { openQueue } from '../../src/queue/open.js';
import { submitRun } from '../../src/queue/submit.js';
import { makeQueueRepo, servicesAvailable, startWorker, useQueueServers } from './helpers.js';
import { cancelMany } from './chaos-cancel.js';

const avail = servicesAvailable();
const N = 10;

describe.skipIf(!avail.ok)('cancel of 10 running runs on postgres', () => {
  const qs = useQueueServers('postgres', 'SIGKILL');

  it('kills every run’s process group and ends each run canceled', async () => {
    const repo = makeQueueRepo({ script: { milestones: { m1: { implement: [{ sleep_ms: 600_000, write: { 'src/greet.ts': 'export const greet = 1;\n' } }] } } } });
    qs.repos.push(repo);
    const q = `${qs.base()}?queue=cancel`;
    for (const name of ['wm1', 'wm2']) qs.workers.push(startWorker({ workDir: repo.workDir, repo: repo.remote, queue: q, name, args: ['--concurrency', String(N / 2), '--heartbeat', '500'] }));
    const backend = await openQueue(q);
    try {
      const ids: string[] = [];
      for (let i = 0; i < N; i++) ids.push((await submitRun(backend, { cwd: repo.dir, task: '.runr/tasks/task.md', fast: true, allowDeps: false, priority: null })).run_id);
      const r = await cancelMany({ reg: backend.registry, ids, cwd: repo.dir, queueUrl: q });
      process.stderr.write(`cancel x${N}: ${JSON.stringify(r.report)}\n`);
      expect(r.still_alive).toEqual([]);
      expect(r.not_canceled).toEqual([]);
      expect(r.terminal_not_one).toEqual([]);
      expect(r.report.answers).toEqual({ requested: N });
    } finally {
      await backend.close();
    }
  }, 900_000);
});
