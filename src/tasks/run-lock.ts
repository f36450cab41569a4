/**
 * The session lock of a task run (`logs/run.lock`: pid, host, heartbeat). Kept apart from
 * liveness.ts so that `status`/`report` can check liveness without loading the reconcile path.
 */
import path from 'node:path';
import type { HeldLock } from '../store/lock.js';
import { acquireLock, inspectLock } from '../store/lock.js';
import type { RunStore } from '../store/run-store.js';
import type { RunRecord } from '../core/schemas/run.js';

export const HEARTBEAT_MS = 1000;
export const STALE_MS = 15_000;

export function runLockFile(store: RunStore, runId: string): string {
  return path.join(store.logsDir(runId), 'run.lock');
}

/** Take the run's session lock, or fail at once if a live session holds it. */
export function acquireRunLock(store: RunStore, runId: string, purpose: string): Promise<HeldLock> {
  return acquireLock(runLockFile(store, runId), { waitMs: 0, heartbeatMs: HEARTBEAT_MS, staleMs: STALE_MS, purpose });
}

export function runAlive(store: RunStore, runId: string): boolean {
  return inspectLock(runLockFile(store, runId), STALE_MS).kind === 'held';
}

/** A task run that says RUNNING while nobody holds its lock: its process died. */
export function looksDead(store: RunStore, run: RunRecord): boolean {
  return run.kind === 'task' && run.status === 'RUNNING' && !runAlive(store, run.run_id);
}

/** `reconcileDeadRun`, loaded only when a dead run is actually found. */
export async function reconcileIfDead(store: RunStore, run: RunRecord): Promise<RunRecord> {
  if (!looksDead(store, run)) return run;
  const { reconcileDeadRun } = await import('./liveness.js');
  return reconcileDeadRun(store, run);
}
