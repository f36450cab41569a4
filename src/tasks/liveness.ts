/**
 * Liveness (DESIGN §6): a session holds `logs/run.lock` (pid, host, heartbeat) from before the run
 * is marked RUNNING until after it is marked stopped. A RUNNING record whose lock has no live holder
 * is a dead run: `status`/`report`/`resume` record it as stopped with `interrupted` (resumable) and
 * reap its orphaned worker process group, so it never shows "running" forever and no orphan keeps
 * editing the worktree.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as z from 'zod';
import type { RunRecord } from '../core/schemas/run.js';
import { killGroup } from '../proc/run-process.js';
import type { HeldLock } from '../store/lock.js';
import { pidAlive } from '../store/lock.js';
import { acquireRunLock, runAlive } from './run-lock.js';
import type { RunStore } from '../store/run-store.js';
import { writeStopHandoff } from './handoff.js';

const PidFileSchema = z.object({ pid: z.number().int().positive(), host: z.string(), run_id: z.string() });

/** Kill the process group of a worker left behind by a dead session (checked to really be ours). */
export function reapOrphanWorker(store: RunStore, runId: string): boolean {
  const file = path.join(store.logsDir(runId), 'worker.pid');
  let info: z.infer<typeof PidFileSchema>;
  try {
    const parsed = PidFileSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (!parsed.success) return false;
    info = parsed.data;
  } catch {
    return false;
  }
  fs.rmSync(file, { force: true });
  if (info.host !== os.hostname() || info.run_id !== runId || !pidAlive(info.pid)) return false;
  // Guard against pid reuse: on Linux the process must carry this run's id in its environment.
  try {
    const env = fs.readFileSync(`/proc/${info.pid}/environ`, 'utf8');
    if (!env.split('\0').includes(`RUNR_RUN_ID=${runId}`)) return false;
  } catch {
    return false;
  }
  killGroup(info.pid, 'SIGKILL');
  return true;
}

/**
 * If `run` is a task run marked RUNNING with no live lock holder, record `interrupted` (under the
 * lock, so two readers never both do it) and return the updated record.
 */
export async function reconcileDeadRun(store: RunStore, run: RunRecord): Promise<RunRecord> {
  if (run.kind !== 'task' || run.status !== 'RUNNING' || runAlive(store, run.run_id)) return run;
  let lock: HeldLock;
  try {
    lock = await acquireRunLock(store, run.run_id, 'reconcile');
  } catch {
    return run;
  }
  try {
    reapOrphanWorker(store, run.run_id);
    const updated = await store.mutate(run.run_id, (cur) => {
      if (cur?.status !== 'RUNNING') return [];
      const phase = cur.phase === 'PLAN' || cur.phase === 'IMPLEMENT' || cur.phase === 'VERIFY' || cur.phase === 'REVIEW' || cur.phase === 'CHECKPOINT' ? cur.phase : null;
      return [{ type: 'task.stopped', reason: 'interrupted', detail: 'the run’s process died (no live lock holder)', phase, duration_ms: null }];
    });
    writeStopHandoff(store, updated);
    return updated;
  } finally {
    lock.release();
  }
}
