/**
 * The registry: runr's own table of queued runs (the source of truth for where each run is), in the
 * same server as the queue. One interface, a PostgreSQL and a Redis implementation. Every write of
 * a worker carries its attempt number (the fencing token) and is checked in the same transaction
 * (PostgreSQL) or script (Redis) that makes the change.
 */
import type { FenceRefusal, RegistryStatus, TerminalStatus } from '../core/queue/states.js';
import type { JobPayload, Outcome } from '../core/queue/payload.js';
import type { RunCheckpoint } from '../core/queue/checkpoint.js';

export interface RegistryRow {
  run_id: string;
  status: RegistryStatus;
  attempt: number;
  worker: string | null;
  priority: number | null;
  payload: JobPayload;
  cancel_requested: boolean;
  submitted_at: string;
  started_at: string | null;
  heartbeat_at: string | null;
  finished_at: string | null;
  outcome: Outcome | null;
  /** The last checkpoint an attempt pushed (what the next attempt resumes from). */
  checkpoint: RunCheckpoint | null;
}

/** Where a run is, without its payload, outcome or checkpoint (cheap to poll). */
export interface RunState {
  run_id: string;
  status: RegistryStatus;
  attempt: number;
  worker: string | null;
}

export type ClaimResult =
  | { kind: 'claimed'; attempt: number; row: RegistryRow }
  | { kind: 'skip'; status: TerminalStatus }
  | { kind: 'canceled' }
  | { kind: 'missing' };

export type FencedResult<T> = { ok: true; value: T } | { ok: false; reason: FenceRefusal; current_attempt: number | null };

export type CancelResult =
  | { kind: 'canceled_now' }
  | { kind: 'requested'; worker: string | null }
  | { kind: 'already_terminal'; status: TerminalStatus }
  | { kind: 'missing' };

export interface FencedWrite {
  run_id: string;
  attempt: number;
  current_attempt: number | null;
  op: string;
  worker: string;
  reason: FenceRefusal;
}

/**
 * Inside `finish`/`checkpoint`: is the row still held for this attempt (PostgreSQL: the locking
 * transaction is alive; Redis: the hold is still this token's)? Asked right before each push.
 */
export type Recheck = () => Promise<boolean>;

export interface Registry {
  /** Create the table (idempotent). */
  init(): Promise<void>;
  /** Insert a queued run; false when the run id is already registered (a second submit). */
  insert(row: { run_id: string; payload: JobPayload; priority: number | null }): Promise<boolean>;
  get(runId: string): Promise<RegistryRow | null>;
  list(): Promise<RegistryRow[]>;
  /** Every run's state only (no payload, outcome or checkpoint), in submit order. */
  states(): Promise<RunState[]>;
  /** A delivered job: start a new attempt (the fencing token) unless the run is finished/canceled. */
  claim(runId: string, worker: string): Promise<ClaimResult>;
  /** Heartbeat of attempt `token`; returns whether a cancel was requested. */
  heartbeat(runId: string, token: number, worker: string): Promise<FencedResult<{ cancel_requested: boolean }>>;
  /**
   * Record the outcome of attempt `token`. `beforeCommit` runs while the row is held (PostgreSQL:
   * `SELECT … FOR UPDATE`; Redis: a short lease key) — the worker pushes the record there, so a
   * push and the outcome are refused together.
   */
  finish<T>(runId: string, token: number, worker: string, beforeCommit: (recheck: Recheck) => Promise<{ outcome: Outcome; value: T }>): Promise<FencedResult<T>>;
  /**
   * Store attempt `token`'s checkpoint: `push` (the run branch to the shared remote) runs while the
   * row is held, as in `finish`, and the checkpoint it returns is written only if the fence holds.
   */
  checkpoint(runId: string, token: number, worker: string, push: (recheck: Recheck) => Promise<RunCheckpoint>): Promise<FencedResult<RunCheckpoint>>;
  cancel(runId: string): Promise<CancelResult>;
  /** Refused writes (fenced off), newest last. */
  fencedWrites(runId?: string): Promise<FencedWrite[]>;
  /** Terminal records written per run (the fault test checks each is 1). */
  terminalCounts(): Promise<Map<string, number>>;
  close(): Promise<void>;
}
