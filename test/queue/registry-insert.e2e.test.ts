/**
 * The Redis registry's insert is one script (found by the chaos run: as two steps, a Redis restart
 * between them left a run's hash with `status` only; every claim of it then failed, and BullMQ
 * would have dropped the job after its retries: a lost run). A hash left so is completed by the
 * next submit of the same id, which the worker can then claim. No other write makes or fills a
 * hash (each checks the payload is there first), and a claim that cancels counts its terminal
 * record in the same script. Real Redis (scripts/services.sh).
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

  it('no other write makes or fills a hash: on a missing run and on a status-only hash each writes nothing', async () => {
    const url = `${svc!.REDIS_URL!}?queue=partial`;
    const port = new URL(svc!.REDIS_URL!).port;
    const cli = (...args: string[]): string => {
      const r = spawnSync('redis-cli', ['-p', port, ...args], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout.trim();
    };
    const reg = openRedisRegistry(parseQueueUrl(url));
    try {
      await reg.init();
      const missing = 'run_20260101T000000000Z_task_nohash';
      const half = 'run_20260101T000000000Z_task_status';
      cli('HSET', `runr:partial:run:${half}`, 'status', 'queued');
      for (const id of [missing, half]) {
        const before = cli('HGETALL', `runr:partial:run:${id}`);
        expect(await reg.claim(id, 'w1')).toEqual({ kind: 'missing' });
        expect(await reg.heartbeat(id, 1, 'w1')).toMatchObject({ ok: false, reason: 'missing' });
        expect(await reg.finish(id, 1, 'w1', () => Promise.resolve({ outcome: { status: 'succeeded', stop_reason: null, detail: null, exit_code: 0, branch_sha: null }, value: null }))).toMatchObject({ ok: false, reason: 'missing' });
        expect(await reg.checkpoint(id, 1, 'w1', () => Promise.reject(new Error('a refused checkpoint pushes nothing')))).toMatchObject({ ok: false, reason: 'missing' });
        expect(await reg.cancel(id)).toEqual({ kind: 'missing' });
        expect(cli('HGETALL', `runr:partial:run:${id}`)).toBe(before); // nothing written to it
        expect(cli('EXISTS', `runr:partial:hold:${id}`)).toBe('0');
        expect((await reg.terminalCounts()).get(id)).toBeUndefined();
      }
      expect(cli('EXISTS', `runr:partial:run:${missing}`)).toBe('0');
    } finally {
      await reg.close();
    }
  }, 600_000);

  it('a claim that finds a cancel request records the canceled run and its terminal count in one script', async () => {
    const url = `${svc!.REDIS_URL!}?queue=claimcancel`;
    const port = new URL(svc!.REDIS_URL!).port;
    const reg = openRedisRegistry(parseQueueUrl(url));
    try {
      await reg.init();
      const id = 'run_20260101T000000000Z_task_cancl1';
      expect(await reg.insert({ run_id: id, payload: { ...payload, run_id: id } as never, priority: null })).toBe(true);
      expect(spawnSync('redis-cli', ['-p', port, 'HSET', `runr:claimcancel:run:${id}`, 'cancel_requested', '1'], { encoding: 'utf8' }).status).toBe(0);
      expect(await reg.claim(id, 'w1')).toEqual({ kind: 'canceled' });
      expect((await reg.get(id))?.status).toBe('canceled');
      expect((await reg.terminalCounts()).get(id)).toBe(1);
      expect(await reg.claim(id, 'w2')).toEqual({ kind: 'skip', status: 'canceled' });
      expect((await reg.terminalCounts()).get(id)).toBe(1);
    } finally {
      await reg.close();
    }
  }, 600_000);
});
