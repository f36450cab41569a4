/**
 * Git fencing on a real PostgreSQL and a real Redis and a real bare remote: an attempt that passed
 * its fence check and then lost the row (its transaction ended by the server, as a pause past the
 * idle limit does; on Redis its hold expired) while another attempt took the run over pushes
 * nothing — the push re-checks the hold right before the ref update — and the ref update carries
 * the expected old tip, so it can never overwrite the new attempt's checkpoint.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQueueUrl } from '../../src/core/queue/url.js';
import type { JobPayload } from '../../src/core/queue/payload.js';
import type { Registry } from '../../src/queue/registry.js';
import { openPgRegistry } from '../../src/queue/registry-pg.js';
import { openRedisRegistry } from '../../src/queue/registry-redis.js';
import { pushRunBranch } from '../../src/queue/slot.js';
import type { QueueRepo, Services } from './helpers.js';
import { makeQueueRepo, psql, servicesAvailable, sh, startServices } from './helpers.js';

const avail = servicesAvailable();

describe.skipIf(!avail.ok).each(['postgres', 'redis'] as const)('git fencing on %s', (backend) => {
  let svc: Services;
  let repo: QueueRepo;
  const regs: Registry[] = [];
  const base = (): string => (backend === 'postgres' ? svc.DATABASE_URL! : svc.REDIS_URL!);
  const open = async (): Promise<Registry> => {
    const t = parseQueueUrl(`${base()}?queue=gitfence`);
    const r = t.backend === 'postgres' ? openPgRegistry(t.url, t.queue) : openRedisRegistry(t);
    await r.init();
    regs.push(r);
    return r;
  };
  beforeAll(() => {
    svc = startServices(backend === 'postgres' ? 'pg' : 'redis');
    repo = makeQueueRepo();
  }, 600_000);
  afterAll(async () => {
    for (const r of regs) await r.close();
    repo?.cleanup();
    svc?.down();
  });

  it('a push after the row was lost is refused; the new attempt’s branch stays', async () => {
    const id = 'run_20260101T000000000Z_task_gitfc1';
    const baseSha = sh(repo.dir, ['rev-parse', 'HEAD']).trim();
    const payload: JobPayload = { v: 1, run_id: id, kind: 'task', task: { file: '.runr/tasks/task.md', text: '# t\n' }, fast: true, allow_deps: false, base_commit: baseSha, max_ticks: null, time_min: null, submitted_by: 'test' };
    const r1 = await open();
    const r2 = await open();
    expect(await r1.insert({ run_id: id, payload, priority: null })).toBe(true);
    expect(await r1.claim(id, 'w1')).toMatchObject({ kind: 'claimed', attempt: 1 });
    // Two commits on the run's branch: attempt 1's stale work and attempt 2's checkpoint.
    sh(repo.dir, ['checkout', '-q', '-b', `runr/${id}`]);
    sh(repo.dir, ['commit', '-q', '--allow-empty', '-m', 'attempt 1 work']);
    const stale = sh(repo.dir, ['rev-parse', 'HEAD']).trim();
    sh(repo.dir, ['checkout', '-q', '--detach', baseSha]);
    sh(repo.dir, ['commit', '-q', '--allow-empty', '-m', 'attempt 2 checkpoint']);
    const fresh = sh(repo.dir, ['rev-parse', 'HEAD']).trim();

    let pushError = '';
    const fin = await r1.finish(id, 1, 'w1', async (recheck) => {
      const checkedAt = performance.now();
      // Attempt 1 passed its fence check. Now it "pauses": the server lets the row go …
      if (backend === 'postgres') psql(svc.DATABASE_URL!, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE state = 'idle in transaction' AND pid <> pg_backend_pid()");
      else await delHold(base(), id);
      // … attempt 2 takes the run over and pushes its checkpoint.
      const c2 = await r2.claim(id, 'w2');
      expect(c2).toMatchObject({ kind: 'claimed', attempt: 2 });
      const ok = await r2.checkpoint(id, 2, 'w2', async (recheck2) => {
        await pushRunBranch(repo.dir, id, fresh, null, performance.now(), recheck2);
        return { v: 1, attempt: 2, branch_sha: fresh, runs_dir: '.runr/runs', files: {} };
      });
      expect(ok.ok).toBe(true);
      // Attempt 1 wakes up and tries to push what it had.
      try {
        await pushRunBranch(repo.dir, id, stale, null, checkedAt, recheck);
      } catch (err) {
        pushError = (err as Error).message;
        throw err;
      }
      return { outcome: { status: 'succeeded', stop_reason: 'complete', detail: null, exit_code: 0, branch_sha: stale }, value: stale };
    }).catch((err: Error) => ({ thrown: err.message }));
    expect(pushError).toMatch(/no longer holds the run/);
    expect('thrown' in fin || fin.ok === false).toBe(true);
    // The remote branch is attempt 2's; a retried finish of attempt 1 is refused and counted.
    expect(sh(repo.remote, ['rev-parse', `refs/heads/runr/${id}`]).trim()).toBe(fresh);
    const again = await r1.finish(id, 1, 'w1', () => Promise.resolve({ outcome: { status: 'succeeded' as const, stop_reason: 'complete', detail: null, exit_code: 0, branch_sha: stale }, value: stale }));
    expect(again).toMatchObject({ ok: false, reason: 'stale_attempt', current_attempt: 2 });
    expect((await r1.fencedWrites(id)).map((f) => `${f.op}:${f.attempt}:${f.reason}`)).toContain('finish:1:stale_attempt');
    // The ref update carries the expected old tip: a push expecting no branch cannot replace it blindly.
    const r = spawnSync('git', ['push', '--porcelain', `--force-with-lease=refs/heads/runr/${id}:`, 'origin', `${stale}:refs/heads/runr/${id}`], { cwd: repo.dir, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/rejected|stale info/);
    expect(sh(repo.remote, ['rev-parse', `refs/heads/runr/${id}`]).trim()).toBe(fresh);
  }, 180_000);
});

/** Redis: the hold of attempt 1 expires (what PX 60 s does to a paused holder), at once. */
async function delHold(url: string, runId: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const r = new Redis(url);
  await r.del(`runr:gitfence:hold:${runId}`);
  await r.quit();
}
