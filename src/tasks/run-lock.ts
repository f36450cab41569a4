/**
 * The session lock of a task run (`logs/run.lock`: pid, host, heartbeat). Kept apart from
 * liveness.ts so that `status`/`report` can check liveness without loading the reconcile path.
 */
import os from 'node:os';
import path from 'node:path';
import type { HeldLock } from '../store/lock.js';
import { acquireLock, inspectLock, pidAlive } from '../store/lock.js';
import type { RunStore } from '../store/run-store.js';
import type { RunRecord } from '../core/schemas/run.js';

export const HEARTBEAT_MS = 1000;
/** A heartbeat this old means a dead holder on another host (on this host, the pid decides). */
export const STALE_MS = 120_000;

export function runLockFile(store: RunStore, runId: string): string {
  return path.join(store.logsDir(runId), 'run.lock');
}

/** Take the run's session lock, or fail at once if a live session holds it. */
export function acquireRunLock(store: RunStore, runId: string, purpose: string): Promise<HeldLock> {
  return acquireLock(runLockFile(store, runId), { waitMs: 0, heartbeatMs: HEARTBEAT_MS, staleMs: STALE_MS, purpose });
}

/**
 * Whether a session holds the run. On this host a live pid counts even when its heartbeat is old
 * (a suspended laptop, a long synchronous pause): declaring a working run dead would let `resume`
 * start a second session on it.
 */
export function runAlive(store: RunStore, runId: string): boolean {
  const st = inspectLock(runLockFile(store, runId), STALE_MS);
  if (st.kind === 'held') return true;
  return st.kind === 'stale' && st.why === 'old_heartbeat' && st.info !== null && st.info.host === os.hostname() && pidAlive(st.info.pid);
}

/** A task run that says RUNNING while nobody holds its lock: its process died. */
export function looksDead(store: RunStore, run: RunRecord): boolean {
  return run.kind === 'task' && run.status === 'RUNNING' && !runAlive(store, run.run_id);
}
