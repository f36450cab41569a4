/**
 * `status`/`report`: a task run that says RUNNING while nobody holds its lock is recorded as
 * interrupted. Apart from run-lock.ts (which liveness.ts needs) so the two never import each other.
 */
import type { RunRecord } from '../core/schemas/run.js';
import type { RunStore } from '../store/run-store.js';
import { looksDead } from './run-lock.js';

/** `reconcileDeadRun`, loaded only when a dead run is actually found. */
export async function reconcileIfDead(store: RunStore, run: RunRecord): Promise<RunRecord> {
  if (!looksDead(store, run)) return run;
  const { reconcileDeadRun } = await import('./liveness.js');
  return reconcileDeadRun(store, run);
}
