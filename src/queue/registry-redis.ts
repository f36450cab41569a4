/**
 * The registry on Redis, the same rules as on PostgreSQL. Each fenced write is one Lua script
 * (atomic on the server): it reads the run's hash, applies the rule from src/core/queue/fencing.ts
 * (mirrored in Lua: claim = attempt + 1 unless terminal; a write needs attempt = token and status
 * running) and makes the change or records the refusal. Pushing the record happens outside Redis,
 * so `finish` first takes a short hold (`…:hold:<run>` = token, PX 60 s) in the same script that
 * checks the fence; a claim by another worker is refused while the hold lives, and the outcome is
 * written only by the hold's owner.
 *
 * Only the insert makes a run's hash, with all its fields at once; every other script first checks
 * that the hash has its payload and otherwise writes nothing to it (a claim, a heartbeat, a cancel
 * of a run that is not there cannot leave a hash with some fields only).
 *
 * Keys (prefix `runr:<queue>:`): `run:<id>` hash, `runs` zset (by submit time), `terminal` hash
 * (terminal records per run), `fenced` list (JSON of refused writes), `hold:<id>`.
 */
import { Redis } from 'ioredis';
import { JobPayloadSchema, OutcomeSchema } from '../core/queue/payload.js';
import { RunCheckpointSchema } from '../core/queue/checkpoint.js';
import type { RunCheckpoint } from '../core/queue/checkpoint.js';
import type { FenceRefusal, RegistryStatus, TerminalStatus } from '../core/queue/states.js';
import { FENCE_REFUSALS } from '../core/queue/states.js';
import * as z from 'zod';
import type { QueueTarget } from '../core/queue/url.js';
import type { CancelResult, ClaimResult, FencedResult, FencedWrite, Recheck, Registry, RegistryRow, RunState } from './registry.js';

const TERMINAL_LUA = "local function terminal(s) return s == 'succeeded' or s == 'stopped' or s == 'failed' or s == 'canceled' end\n";

// KEYS[1] run hash, KEYS[2] runs zset; ARGV[1] run id, ARGV[2] payload json, ARGV[3] priority,
// ARGV[4] now iso, ARGV[5] now ms. The only script that makes a run's hash, with all its fields.
const INSERT = `
if redis.call('HEXISTS', KEYS[1], 'payload') == 1 then return 0 end
redis.call('HSET', KEYS[1], 'status', 'queued', 'run_id', ARGV[1], 'attempt', 0, 'payload', ARGV[2], 'priority', ARGV[3], 'cancel_requested', '0', 'submitted_at', ARGV[4])
redis.call('ZADD', KEYS[2], ARGV[5], ARGV[1])
return 1`;

// KEYS[1] run hash, KEYS[2] hold key, KEYS[3] terminal hash; ARGV[1] worker, ARGV[2] now iso,
// ARGV[3] canceled outcome json, ARGV[4] run id. A hash without its payload is no run (only an
// insert makes one, whole): nothing is written to it.
const CLAIM = `${TERMINAL_LUA}
if redis.call('HEXISTS', KEYS[1], 'payload') == 0 then return {'missing'} end
local status = redis.call('HGET', KEYS[1], 'status')
if terminal(status) then return {'skip', status} end
if redis.call('EXISTS', KEYS[2]) == 1 then return {'busy'} end
local attempt = (tonumber(redis.call('HGET', KEYS[1], 'attempt')) or 0) + 1
if redis.call('HGET', KEYS[1], 'cancel_requested') == '1' then
  redis.call('HSET', KEYS[1], 'status', 'canceled', 'attempt', attempt, 'finished_at', ARGV[2], 'outcome', ARGV[3])
  redis.call('HINCRBY', KEYS[3], ARGV[4], 1)
  return {'canceled', attempt}
end
redis.call('HSET', KEYS[1], 'status', 'running', 'attempt', attempt, 'worker', ARGV[1], 'started_at', ARGV[2], 'heartbeat_at', ARGV[2])
return {'claimed', attempt}`;

// Shared fence check; KEYS[1] run hash, KEYS[2] fenced list; ARGV[1] token, ARGV[2] worker, ARGV[3] op
const FENCE = `${TERMINAL_LUA}
local function refuse(reason, cur)
  redis.call('RPUSH', KEYS[2], cjson.encode({run_id = ARGV[4], attempt = tonumber(ARGV[1]), current_attempt = cur, op = ARGV[3], worker = ARGV[2], reason = reason}))
  return {'refused', reason, cur or -1}
end
local function fence()
  if redis.call('HEXISTS', KEYS[1], 'payload') == 0 then return refuse('missing', nil) end
  local cur = tonumber(redis.call('HGET', KEYS[1], 'attempt'))
  if cur ~= tonumber(ARGV[1]) then return refuse('stale_attempt', cur) end
  local status = redis.call('HGET', KEYS[1], 'status')
  if terminal(status) then return refuse('terminal', cur) end
  if status ~= 'running' then return refuse('not_running', cur) end
  return nil
end
`;

// ARGV[5] now
const HEARTBEAT = `${FENCE}
local r = fence()
if r then return r end
redis.call('HSET', KEYS[1], 'heartbeat_at', ARGV[5])
return {'ok', redis.call('HGET', KEYS[1], 'cancel_requested')}`;

// KEYS[3] hold; ARGV[5] hold ms
const HOLD = `${FENCE}
local r = fence()
if r then return r end
redis.call('SET', KEYS[3], ARGV[1], 'PX', tonumber(ARGV[5]))
return {'ok'}`;

// KEYS[3] hold, KEYS[4] terminal hash; ARGV[5] now, ARGV[6] status, ARGV[7] outcome json
const FINISH = `${FENCE}
local r = fence()
if r then redis.call('DEL', KEYS[3]) return r end
if redis.call('GET', KEYS[3]) ~= ARGV[1] then return refuse('stale_attempt', tonumber(redis.call('HGET', KEYS[1], 'attempt'))) end
redis.call('HSET', KEYS[1], 'status', ARGV[6], 'finished_at', ARGV[5], 'heartbeat_at', ARGV[5], 'outcome', ARGV[7])
redis.call('HINCRBY', KEYS[4], ARGV[4], 1)
redis.call('DEL', KEYS[3])
return {'ok'}`;

// KEYS[3] hold; ARGV[5] now, ARGV[6] checkpoint json
const SET_CHECKPOINT = `${FENCE}
local r = fence()
if r then redis.call('DEL', KEYS[3]) return r end
if redis.call('GET', KEYS[3]) ~= ARGV[1] then return refuse('stale_attempt', tonumber(redis.call('HGET', KEYS[1], 'attempt'))) end
redis.call('HSET', KEYS[1], 'checkpoint', ARGV[6], 'heartbeat_at', ARGV[5])
redis.call('DEL', KEYS[3])
return {'ok'}`;

// KEYS[1] run hash, KEYS[2] terminal hash; ARGV[1] run id, ARGV[2] now, ARGV[3] outcome json
const CANCEL = `${TERMINAL_LUA}
if redis.call('HEXISTS', KEYS[1], 'payload') == 0 then return {'missing'} end
local status = redis.call('HGET', KEYS[1], 'status')
if terminal(status) then return {'already_terminal', status} end
redis.call('HSET', KEYS[1], 'cancel_requested', '1')
if status == 'queued' then
  redis.call('HSET', KEYS[1], 'status', 'canceled', 'finished_at', ARGV[2], 'outcome', ARGV[3])
  redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
  return {'canceled_now'}
end
return {'requested', redis.call('HGET', KEYS[1], 'worker') or ''}`;

const HOLD_MS = 60_000;

type Reply = Array<string | number>;

/** A refused write as the fencing script stores it (current_attempt absent when there was no row). */
const FencedWriteSchema = z.object({ run_id: z.string(), attempt: z.number(), current_attempt: z.number().nullable().optional(), op: z.string(), worker: z.string(), reason: z.enum(FENCE_REFUSALS) });

export class RedisRegistry implements Registry {
  private readonly p: string;
  constructor(
    private readonly redis: Redis,
    queue: string,
  ) {
    this.p = `runr:${queue}:`;
  }

  private k(name: string): string {
    return this.p + name;
  }

  /**
   * The first contact. ioredis reconnects by itself and would retry a command for seconds; a server
   * that refuses the first three connections is down, and the error says why (e.g. ECONNREFUSED).
   */
  async init(): Promise<void> {
    let failures = 0;
    let onError: ((err: Error) => void) | undefined;
    const refused = new Promise<never>((_, reject) => {
      onError = (err: Error): void => {
        if (++failures >= 3) reject(err);
      };
      this.redis.on('error', onError);
    });
    try {
      await Promise.race([this.redis.ping(), refused]);
    } finally {
      if (onError !== undefined) this.redis.off('error', onError);
    }
  }

  async insert(row: { run_id: string; payload: unknown; priority: number | null }): Promise<boolean> {
    // One script: a submit cut off half-way (a server restart) can leave no hash without its
    // fields (it did, as two steps: `status` only, and every claim of the run failed), and a hash
    // left so by an earlier version is completed here.
    const now = new Date();
    const r = await this.redis.eval(INSERT, 2, this.k(`run:${row.run_id}`), this.k('runs'), row.run_id, JSON.stringify(row.payload), row.priority ?? '', now.toISOString(), now.getTime());
    return r === 1;
  }

  private toRow(h: Record<string, string>): RegistryRow | null {
    if (h.status === undefined || h.payload === undefined) return null;
    const s = (x: string | undefined): string | null => (x === undefined || x === '' ? null : x);
    return {
      run_id: h.run_id ?? '',
      status: h.status as RegistryStatus,
      attempt: Number(h.attempt ?? 0),
      worker: s(h.worker),
      priority: h.priority ? Number(h.priority) : null,
      payload: JobPayloadSchema.parse(JSON.parse(h.payload)),
      cancel_requested: h.cancel_requested === '1',
      submitted_at: h.submitted_at ?? '',
      started_at: s(h.started_at),
      heartbeat_at: s(h.heartbeat_at),
      finished_at: s(h.finished_at),
      outcome: h.outcome ? OutcomeSchema.parse(JSON.parse(h.outcome)) : null,
      checkpoint: h.checkpoint ? RunCheckpointSchema.parse(JSON.parse(h.checkpoint)) : null,
    };
  }

  async get(runId: string): Promise<RegistryRow | null> {
    return this.toRow(await this.redis.hgetall(this.k(`run:${runId}`)));
  }

  async list(): Promise<RegistryRow[]> {
    const ids = await this.redis.zrange(this.k('runs'), 0, -1);
    const rows: RegistryRow[] = [];
    for (let i = 0; i < ids.length; i += 200) {
      const pipe = this.redis.pipeline();
      for (const id of ids.slice(i, i + 200)) pipe.hgetall(this.k(`run:${id}`));
      for (const [, h] of (await pipe.exec()) ?? []) {
        const r = this.toRow(h as Record<string, string>);
        if (r) rows.push(r);
      }
    }
    return rows;
  }

  async states(): Promise<RunState[]> {
    const ids = await this.redis.zrange(this.k('runs'), 0, -1);
    const out: RunState[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const pipe = this.redis.pipeline();
      for (const id of ids.slice(i, i + 500)) pipe.hmget(this.k(`run:${id}`), 'run_id', 'status', 'attempt', 'worker');
      for (const [, v] of (await pipe.exec()) ?? []) {
        const [runId, status, attempt, worker] = v as Array<string | null>;
        if (runId == null || status == null) continue;
        out.push({ run_id: runId, status: status as RegistryStatus, attempt: Number(attempt ?? 0), worker: worker === null || worker === undefined || worker === '' ? null : worker });
      }
    }
    return out;
  }

  async claim(runId: string, worker: string): Promise<ClaimResult> {
    const outcome = JSON.stringify({ status: 'canceled', stop_reason: 'canceled', detail: 'canceled before it started', exit_code: null, branch_sha: null });
    const r = (await this.redis.eval(CLAIM, 3, this.k(`run:${runId}`), this.k(`hold:${runId}`), this.k('terminal'), worker, new Date().toISOString(), outcome, runId)) as Reply;
    switch (r[0]) {
      case 'missing':
        return { kind: 'missing' };
      case 'skip':
        return { kind: 'skip', status: r[1] as TerminalStatus };
      case 'busy':
        throw new Error(`run ${runId}: another attempt is recording its outcome; retry`);
      case 'canceled':
        return { kind: 'canceled' };
      default: {
        const row = await this.get(runId);
        if (row === null) return { kind: 'missing' };
        return { kind: 'claimed', attempt: Number(r[1]), row };
      }
    }
  }

  /** This attempt's hold is still set and the run is still its own. */
  private async stillHeld(runId: string, token: number): Promise<boolean> {
    try {
      const [hold, attempt, status] = await Promise.all([this.redis.get(this.k(`hold:${runId}`)), this.redis.hget(this.k(`run:${runId}`), 'attempt'), this.redis.hget(this.k(`run:${runId}`), 'status')]);
      return hold === String(token) && attempt === String(token) && status === 'running';
    } catch {
      return false;
    }
  }

  private fenceKeys(runId: string): string[] {
    return [this.k(`run:${runId}`), this.k('fenced')];
  }

  private refused<T>(r: Reply): FencedResult<T> {
    const cur = Number(r[2]);
    return { ok: false, reason: r[1] as FenceRefusal, current_attempt: cur < 0 ? null : cur };
  }

  async heartbeat(runId: string, token: number, worker: string): Promise<FencedResult<{ cancel_requested: boolean }>> {
    const r = (await this.redis.eval(HEARTBEAT, 2, ...this.fenceKeys(runId), token, worker, 'heartbeat', runId, new Date().toISOString())) as Reply;
    if (r[0] !== 'ok') return this.refused(r);
    return { ok: true, value: { cancel_requested: r[1] === '1' } };
  }

  async finish<T>(runId: string, token: number, worker: string, beforeCommit: (recheck: Recheck) => Promise<{ outcome: unknown; value: T }>): Promise<FencedResult<T>> {
    const keys = [...this.fenceKeys(runId), this.k(`hold:${runId}`)];
    const h = (await this.redis.eval(HOLD, 3, ...keys, token, worker, 'finish', runId, HOLD_MS)) as Reply;
    if (h[0] !== 'ok') return this.refused(h);
    const { outcome, value } = await beforeCommit(() => this.stillHeld(runId, token));
    const o = OutcomeSchema.parse(outcome);
    const r = (await this.redis.eval(FINISH, 4, ...keys, this.k('terminal'), token, worker, 'finish', runId, new Date().toISOString(), o.status, JSON.stringify(o))) as Reply;
    if (r[0] !== 'ok') return this.refused(r);
    return { ok: true, value };
  }

  async checkpoint(runId: string, token: number, worker: string, push: (recheck: Recheck) => Promise<RunCheckpoint>): Promise<FencedResult<RunCheckpoint>> {
    const keys = [...this.fenceKeys(runId), this.k(`hold:${runId}`)];
    const h = (await this.redis.eval(HOLD, 3, ...keys, token, worker, 'checkpoint', runId, HOLD_MS)) as Reply;
    if (h[0] !== 'ok') return this.refused(h);
    const cp = RunCheckpointSchema.parse(await push(() => this.stillHeld(runId, token)));
    const r = (await this.redis.eval(SET_CHECKPOINT, 3, ...keys, token, worker, 'checkpoint', runId, new Date().toISOString(), JSON.stringify(cp))) as Reply;
    if (r[0] !== 'ok') return this.refused(r);
    return { ok: true, value: cp };
  }

  async cancel(runId: string): Promise<CancelResult> {
    const outcome = JSON.stringify({ status: 'canceled', stop_reason: 'canceled', detail: 'canceled while queued', exit_code: null, branch_sha: null });
    const r = (await this.redis.eval(CANCEL, 2, this.k(`run:${runId}`), this.k('terminal'), runId, new Date().toISOString(), outcome)) as Reply;
    switch (r[0]) {
      case 'missing':
        return { kind: 'missing' };
      case 'already_terminal':
        return { kind: 'already_terminal', status: r[1] as TerminalStatus };
      case 'canceled_now':
        return { kind: 'canceled_now' };
      default:
        return { kind: 'requested', worker: r[1] === '' ? null : String(r[1]) };
    }
  }

  async fencedWrites(runId?: string): Promise<FencedWrite[]> {
    const all = (await this.redis.lrange(this.k('fenced'), 0, -1)).map((j): FencedWrite => {
      const w = FencedWriteSchema.parse(JSON.parse(j));
      return { ...w, current_attempt: w.current_attempt ?? null };
    });
    return runId === undefined ? all : all.filter((w) => w.run_id === runId);
  }

  async terminalCounts(): Promise<Map<string, number>> {
    const h = await this.redis.hgetall(this.k('terminal'));
    return new Map(Object.entries(h).map(([k, v]) => [k, Number(v)]));
  }

  async close(): Promise<void> {
    // QUIT would wait in the offline queue for a server that is not there: drop the socket then.
    if (this.redis.status !== 'ready') this.redis.disconnect();
    else await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

export function openRedisRegistry(target: QueueTarget): RedisRegistry {
  const redis = new Redis(target.url, { maxRetriesPerRequest: 20, enableOfflineQueue: true });
  redis.on('error', () => undefined); // reconnects by itself; callers see failed commands
  return new RedisRegistry(redis, target.queue);
}
