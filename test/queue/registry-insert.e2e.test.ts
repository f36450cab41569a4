/**
 * The Redis registry's insert is one script (found by the chaos run: as two steps, a Redis restart
 * between them left a run's hash with `status` only; every claim of it then failed, and BullMQ
 * would have dropped the job after its retries: a lost run). A hash left so is completed by the
 * next submit of the same id, which the worker can then claim. Real Redis (scripts/services.sh).
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQueueUrl } from '../../src/core/queue/url.js';
import { openRedisRegistry } from '../../src/queue/registry-redis.js';
import type { Services } from './helpers.js';
import { servicesAvailable, startServices } from './helpers.js';

const avail = servicesAvailable();
const payload = { v: 1, run_id: 'run_20260101T000000000Z_task_hhalf1', kind: 'task', base_commit: 'a'.repeat(40), submitted_by: 't@t', task: { file: 't.md', text: 'x' }, fast: true, allow_deps: false, max_ticks: null, time_min: null };

describe.skipIf(!avail.ok)('Redis registry insert', () => {
  let svc: Services | undefined;
  beforeAll(() => {
    svc = startServices('redis');
  }, 600_000);
  afterAll(() => svc?.down());

  it('completes a hash a cut-off submit left with status only; the run can then be claimed', async () => {
    const url = `${svc!.REDIS_URL!}?queue=half`;
    const port = new URL(svc!.REDIS_URL!).port;
    const set = spawnSync('redis-cli', ['-p', port, 'HSET', `runr:half:run:${payload.run_id}`, 'status', 'queued'], { encoding: 'utf8' });
    expect(set.status).toBe(0);
    const reg = openRedisRegistry(parseQueueUrl(url));
    try {
      await reg.init();
      expect(await reg.get(payload.run_id)).toBeNull();
      expect(await reg.insert({ run_id: payload.run_id, payload: payload as never, priority: null })).toBe(true);
      expect(await reg.insert({ run_id: payload.run_id, payload: payload as never, priority: null })).toBe(false);
      expect((await reg.get(payload.run_id))?.status).toBe('queued');
      expect(await reg.claim(payload.run_id, 'w1')).toMatchObject({ kind: 'claimed', attempt: 1 });
    } finally {
      await reg.close();
    }
  }, 600_000);
});
