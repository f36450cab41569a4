/**
 * The registry on PostgreSQL: table `runr.runs` (one row per queued run), `runr.run_events` (every
 * state change, append-only) and `runr.fenced_writes` (writes refused by the fencing check). Each
 * fenced write locks the run's row (`SELECT … FOR UPDATE`), checks the attempt number and makes its
 * change in the same transaction; a claim by another worker (attempt + 1) waits on that lock.
 */
import pg from 'pg';
import type { Pool, PoolClient } from 'pg';
import { checkFence, decideCancel, decideClaim } from '../core/queue/fencing.js';
import type { FenceRow } from '../core/queue/fencing.js';
import { JobPayloadSchema, OutcomeSchema } from '../core/queue/payload.js';
import { RunCheckpointSchema } from '../core/queue/checkpoint.js';
import type { RunCheckpoint } from '../core/queue/checkpoint.js';
import type { RegistryStatus } from '../core/queue/states.js';
import { REGISTRY_STATUSES } from '../core/queue/states.js';
import type { CancelResult, ClaimResult, FencedResult, FencedWrite, Recheck, Registry, RegistryRow, RunState } from './registry.js';

const SCHEMA_SQL = `
CREATE SCHEMA IF NOT EXISTS runr;
CREATE TABLE IF NOT EXISTS runr.runs (
  run_id text PRIMARY KEY,
  queue text NOT NULL,
  status text NOT NULL CHECK (status IN (${REGISTRY_STATUSES.map((s) => `'${s}'`).join(', ')})),
  attempt integer NOT NULL DEFAULT 0,
  worker text,
  priority integer,
  payload jsonb NOT NULL,
  cancel_requested boolean NOT NULL DEFAULT false,
  submitted_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  heartbeat_at timestamptz,
  finished_at timestamptz,
  outcome jsonb
);
ALTER TABLE runr.runs ADD COLUMN IF NOT EXISTS checkpoint jsonb;
CREATE TABLE IF NOT EXISTS runr.run_events (
  id bigserial PRIMARY KEY,
  run_id text NOT NULL,
  attempt integer NOT NULL,
  type text NOT NULL,
  worker text,
  terminal boolean NOT NULL DEFAULT false,
  at timestamptz NOT NULL DEFAULT now(),
  detail jsonb
);
CREATE INDEX IF NOT EXISTS run_events_run ON runr.run_events (run_id);
CREATE TABLE IF NOT EXISTS runr.fenced_writes (
  id bigserial PRIMARY KEY,
  run_id text NOT NULL,
  attempt integer NOT NULL,
  current_attempt integer,
  op text NOT NULL,
  worker text NOT NULL,
  reason text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);`;

interface DbRow {
  run_id: string;
  status: string;
  attempt: number;
  worker: string | null;
  priority: number | null;
  payload: unknown;
  cancel_requested: boolean;
  submitted_at: Date;
  started_at: Date | null;
  heartbeat_at: Date | null;
  finished_at: Date | null;
  outcome: unknown;
  checkpoint: unknown;
}

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

function toRow(r: DbRow): RegistryRow {
  return {
    run_id: r.run_id,
    status: r.status as RegistryStatus,
    attempt: r.attempt,
    worker: r.worker,
    priority: r.priority,
    payload: JobPayloadSchema.parse(r.payload),
    cancel_requested: r.cancel_requested,
    submitted_at: r.submitted_at.toISOString(),
    started_at: iso(r.started_at),
    heartbeat_at: iso(r.heartbeat_at),
    finished_at: iso(r.finished_at),
    outcome: r.outcome === null ? null : OutcomeSchema.parse(r.outcome),
    checkpoint: r.checkpoint === null || r.checkpoint === undefined ? null : RunCheckpointSchema.parse(r.checkpoint),
  };
}

export class PgRegistry implements Registry {
  constructor(
    private readonly pool: Pool,
    /** The BullMQ queue name: one table serves every queue of the database. */
    private readonly queue: string,
  ) {}

  async init(): Promise<void> {
    const c = await this.pool.connect();
    try {
      // Two processes creating the schema at once would race on the catalog: serialise.
      await c.query('SELECT pg_advisory_lock(727001)');
      try {
        await c.query(SCHEMA_SQL);
      } finally {
        await c.query('SELECT pg_advisory_unlock(727001)');
      }
    } finally {
      c.release();
    }
  }

  private async tx<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    // A checked-out client whose server goes away (a restart) between two queries — e.g. while
    // the record is pushed — emits 'error'; unheard, that would end the process. The next query
    // on it fails and the caller retries.
    let broken: Error | null = null;
    const onError = (err: Error): void => {
      broken = err;
    };
    c.on('error', onError);
    try {
      await c.query('BEGIN');
      // A holder that stops (SIGSTOP, a partition) must not keep the row locked for ever.
      await c.query("SET LOCAL idle_in_transaction_session_timeout = '60s'");
      const v = await fn(c);
      await c.query('COMMIT');
      return v;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.off('error', onError);
      c.release(broken ?? undefined);
    }
  }

  private async locked(c: PoolClient, runId: string): Promise<DbRow | null> {
    const r = await c.query<DbRow>('SELECT * FROM runr.runs WHERE run_id = $1 FOR UPDATE', [runId]);
    return r.rows[0] ?? null;
  }

  /** The transaction holding the row is alive (a query on it succeeds) and the row is this attempt's. */
  private async stillHeld(c: PoolClient, runId: string, token: number): Promise<boolean> {
    try {
      const r = await c.query<{ attempt: number; status: string }>('SELECT attempt, status FROM runr.runs WHERE run_id = $1', [runId]);
      return r.rows[0]?.attempt === token && r.rows[0].status === 'running';
    } catch {
      return false;
    }
  }

  private async event(c: PoolClient, runId: string, attempt: number, type: string, worker: string | null, terminal = false, detail: unknown = null): Promise<void> {
    await c.query('INSERT INTO runr.run_events (run_id, attempt, type, worker, terminal, detail) VALUES ($1, $2, $3, $4, $5, $6)', [runId, attempt, type, worker, terminal, detail === null ? null : JSON.stringify(detail)]);
  }

  private async refuse(c: PoolClient, runId: string, token: number, row: DbRow | null, op: string, worker: string, reason: FencedWrite['reason']): Promise<void> {
    await c.query('INSERT INTO runr.fenced_writes (run_id, attempt, current_attempt, op, worker, reason) VALUES ($1, $2, $3, $4, $5, $6)', [runId, token, row?.attempt ?? null, op, worker, reason]);
  }

  async insert(row: { run_id: string; payload: unknown; priority: number | null }): Promise<boolean> {
    return this.tx(async (c) => {
      const r = await c.query("INSERT INTO runr.runs (run_id, queue, status, payload, priority) VALUES ($1, $2, 'queued', $3, $4) ON CONFLICT (run_id) DO NOTHING", [row.run_id, this.queue, JSON.stringify(row.payload), row.priority]);
      if (r.rowCount === 1) await this.event(c, row.run_id, 0, 'submitted', null);
      return r.rowCount === 1;
    });
  }

  async get(runId: string): Promise<RegistryRow | null> {
    const r = await this.pool.query<DbRow>('SELECT * FROM runr.runs WHERE run_id = $1', [runId]);
    return r.rows[0] ? toRow(r.rows[0]) : null;
  }

  async list(): Promise<RegistryRow[]> {
    const r = await this.pool.query<DbRow>('SELECT * FROM runr.runs WHERE queue = $1 ORDER BY submitted_at, run_id', [this.queue]);
    return r.rows.map(toRow);
  }

  async states(): Promise<RunState[]> {
    const r = await this.pool.query<{ run_id: string; status: string; attempt: number; worker: string | null }>('SELECT run_id, status, attempt, worker FROM runr.runs WHERE queue = $1 ORDER BY submitted_at, run_id', [this.queue]);
    return r.rows.map((x) => ({ run_id: x.run_id, status: x.status as RegistryStatus, attempt: x.attempt, worker: x.worker }));
  }

  async claim(runId: string, worker: string): Promise<ClaimResult> {
    return this.tx(async (c) => {
      const row = await this.locked(c, runId);
      if (row === null) return { kind: 'missing' };
      const d = decideClaim(fenceRow(row));
      if (d.kind === 'skip') return { kind: 'skip', status: d.status };
      if (d.kind === 'cancel') {
        const outcome = { status: 'canceled', stop_reason: 'canceled', detail: 'canceled before it started', exit_code: null, branch_sha: null };
        await c.query("UPDATE runr.runs SET status = 'canceled', attempt = $2, finished_at = now(), outcome = $3 WHERE run_id = $1", [runId, d.attempt, JSON.stringify(outcome)]);
        await this.event(c, runId, d.attempt, 'canceled', worker, true);
        return { kind: 'canceled' };
      }
      const r = await c.query<DbRow>("UPDATE runr.runs SET status = 'running', attempt = $2, worker = $3, started_at = now(), heartbeat_at = now() WHERE run_id = $1 RETURNING *", [runId, d.attempt, worker]);
      await this.event(c, runId, d.attempt, 'claimed', worker);
      return { kind: 'claimed', attempt: d.attempt, row: toRow(r.rows[0]!) };
    });
  }

  async heartbeat(runId: string, token: number, worker: string): Promise<FencedResult<{ cancel_requested: boolean }>> {
    return this.tx(async (c) => {
      const row = await this.locked(c, runId);
      const f = checkFence(row === null ? null : fenceRow(row), token);
      if (f.kind === 'refused') {
        await this.refuse(c, runId, token, row, 'heartbeat', worker, f.reason);
        return { ok: false, reason: f.reason, current_attempt: row?.attempt ?? null };
      }
      await c.query('UPDATE runr.runs SET heartbeat_at = now() WHERE run_id = $1', [runId]);
      return { ok: true, value: { cancel_requested: row!.cancel_requested } };
    });
  }

  async finish<T>(runId: string, token: number, worker: string, beforeCommit: (recheck: Recheck) => Promise<{ outcome: unknown; value: T }>): Promise<FencedResult<T>> {
    return this.tx(async (c) => {
      const row = await this.locked(c, runId);
      const f = checkFence(row === null ? null : fenceRow(row), token);
      if (f.kind === 'refused') {
        await this.refuse(c, runId, token, row, 'finish', worker, f.reason);
        return { ok: false, reason: f.reason, current_attempt: row?.attempt ?? null };
      }
      const { outcome, value } = await beforeCommit(() => this.stillHeld(c, runId, token));
      const o = OutcomeSchema.parse(outcome);
      await c.query('UPDATE runr.runs SET status = $2, finished_at = now(), heartbeat_at = now(), outcome = $3 WHERE run_id = $1', [runId, o.status, JSON.stringify(o)]);
      await this.event(c, runId, token, o.status, worker, true, o);
      return { ok: true, value };
    });
  }

  async checkpoint(runId: string, token: number, worker: string, push: (recheck: Recheck) => Promise<RunCheckpoint>): Promise<FencedResult<RunCheckpoint>> {
    return this.tx(async (c) => {
      const row = await this.locked(c, runId);
      const f = checkFence(row === null ? null : fenceRow(row), token);
      if (f.kind === 'refused') {
        await this.refuse(c, runId, token, row, 'checkpoint', worker, f.reason);
        return { ok: false, reason: f.reason, current_attempt: row?.attempt ?? null };
      }
      const cp = RunCheckpointSchema.parse(await push(() => this.stillHeld(c, runId, token)));
      await c.query('UPDATE runr.runs SET checkpoint = $2, heartbeat_at = now() WHERE run_id = $1', [runId, JSON.stringify(cp)]);
      await this.event(c, runId, token, 'checkpoint', worker, false, { branch_sha: cp.branch_sha });
      return { ok: true, value: cp };
    });
  }

  async cancel(runId: string): Promise<CancelResult> {
    return this.tx(async (c) => {
      const row = await this.locked(c, runId);
      if (row === null) return { kind: 'missing' };
      const d = decideCancel(fenceRow(row));
      if (d.kind === 'already_terminal') return d;
      if (d.kind === 'canceled_now') {
        const outcome = { status: 'canceled', stop_reason: 'canceled', detail: 'canceled while queued', exit_code: null, branch_sha: null };
        await c.query("UPDATE runr.runs SET status = 'canceled', cancel_requested = true, finished_at = now(), outcome = $2 WHERE run_id = $1", [runId, JSON.stringify(outcome)]);
        await this.event(c, runId, row.attempt, 'canceled', null, true);
        return d;
      }
      await c.query('UPDATE runr.runs SET cancel_requested = true WHERE run_id = $1', [runId]);
      await this.event(c, runId, row.attempt, 'cancel_requested', null);
      return { kind: 'requested', worker: row.worker };
    });
  }

  async fencedWrites(runId?: string): Promise<FencedWrite[]> {
    const r = await this.pool.query<FencedWrite>(
      `SELECT f.run_id, f.attempt, f.current_attempt, f.op, f.worker, f.reason FROM runr.fenced_writes f JOIN runr.runs r USING (run_id) WHERE r.queue = $1 ${runId !== undefined ? 'AND f.run_id = $2' : ''} ORDER BY f.id`,
      runId !== undefined ? [this.queue, runId] : [this.queue],
    );
    return r.rows;
  }

  async terminalCounts(): Promise<Map<string, number>> {
    const r = await this.pool.query<{ run_id: string; n: string }>('SELECT e.run_id, count(*) AS n FROM runr.run_events e JOIN runr.runs r USING (run_id) WHERE e.terminal AND r.queue = $1 GROUP BY e.run_id', [this.queue]);
    return new Map(r.rows.map((x) => [x.run_id, Number(x.n)]));
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

function fenceRow(r: DbRow): FenceRow {
  return { status: r.status as RegistryStatus, attempt: r.attempt, cancel_requested: r.cancel_requested };
}

export function openPgRegistry(url: string, queue: string): PgRegistry {
  const pool = new pg.Pool({ connectionString: url, max: 8, keepAlive: true, connectionTimeoutMillis: 10_000 });
  pool.on('error', () => undefined); // an idle client lost its server (a restart): the pool replaces it
  // A checked-out client whose server goes away (e.g. during init) emits 'error': unheard, that
  // would end the process; its query fails instead, and the pool does not reuse it.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  return new PgRegistry(pool, queue);
}
