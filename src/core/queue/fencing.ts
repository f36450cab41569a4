/**
 * Fencing rules, pure. Each claim of a run starts a new attempt; the attempt number is the fencing
 * token. Every later write of that attempt (heartbeat, push of the record, the outcome) is checked
 * against the row in the same transaction that makes the change: a worker whose lease was lost and
 * whose run was claimed again holds an old token, and its writes are refused (and counted).
 */
import type { FenceRefusal, RegistryStatus, TerminalStatus } from './states.js';
import { isTerminal } from './states.js';

export interface FenceRow {
  status: RegistryStatus;
  attempt: number;
  cancel_requested: boolean;
}

export type ClaimDecision =
  | { kind: 'claim'; attempt: number }
  /** The run already has its outcome (a redelivered job): do nothing. */
  | { kind: 'skip'; status: TerminalStatus }
  /** Canceled before any worker started it: record `canceled` without running it. */
  | { kind: 'cancel'; attempt: number };

/** A delivered job: take the run (a new attempt), unless it is finished or was canceled. */
export function decideClaim(row: FenceRow): ClaimDecision {
  if (isTerminal(row.status)) return { kind: 'skip', status: row.status };
  if (row.cancel_requested) return { kind: 'cancel', attempt: row.attempt + 1 };
  return { kind: 'claim', attempt: row.attempt + 1 };
}

export type FenceDecision = { kind: 'ok' } | { kind: 'refused'; reason: FenceRefusal };

/** May the holder of `token` write to this run now? */
export function checkFence(row: FenceRow | null, token: number): FenceDecision {
  if (row === null) return { kind: 'refused', reason: 'missing' };
  if (row.attempt !== token) return { kind: 'refused', reason: 'stale_attempt' };
  if (isTerminal(row.status)) return { kind: 'refused', reason: 'terminal' };
  if (row.status !== 'running') return { kind: 'refused', reason: 'not_running' };
  return { kind: 'ok' };
}

export type CancelDecision =
  /** Not started: the run ends `canceled` now and its job is removed. */
  | { kind: 'canceled_now' }
  /** Running: the owning worker is told (the flag is the backstop it polls). */
  | { kind: 'requested' }
  | { kind: 'already_terminal'; status: TerminalStatus };

export function decideCancel(row: FenceRow): CancelDecision {
  if (isTerminal(row.status)) return { kind: 'already_terminal', status: row.status };
  if (row.status === 'queued') return { kind: 'canceled_now' };
  return { kind: 'requested' };
}
