/**
 * One session of a task run (a start or a resume): run the loop, then — whatever happened — record
 * the stop, write `handoffs/stop.json` and release the locks. A bug or a git failure inside the
 * loop is recorded as `interrupted` (resumable) before it propagates, so no session ends with the
 * record still saying RUNNING.
 */
import type { Effect } from '../core/tasks/effects.js';
import type { RunRecord } from '../core/schemas/run.js';
import type { TaskState } from '../core/tasks/state.js';
import type { StopReason } from '../core/tasks/stop-reasons.js';
import type { HeldLock } from '../store/lock.js';
import type { TaskRunContext } from './context.js';
import { writeStopHandoff } from './handoff.js';
import { runLoop } from './loop.js';
import { armGuard } from './repo-guard.js';

export interface SessionResult {
  runId: string;
  runDir: string;
  repoRoot: string;
  reason: StopReason;
  state: TaskState;
  run: RunRecord;
}

export async function runSession(ctx: TaskRunContext, state: TaskState, effects: Effect[], locks: HeldLock[]): Promise<SessionResult> {
  try {
    let reason: StopReason;
    let final: TaskState;
    try {
      await armGuard(ctx);
      ({ state: final, reason } = await runLoop(ctx, state, effects));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await ctx.store
        .mutate(ctx.runId, (cur) => (cur?.status === 'RUNNING' ? [{ type: 'task.stopped', reason: 'interrupted', detail: `runr error: ${message}`.slice(0, 2000), phase: null, duration_ms: null }] : []))
        .then((run) => writeStopHandoff(ctx.store, run))
        .catch(() => undefined);
      throw err;
    }
    const run = ctx.store.load(ctx.runId).run;
    writeStopHandoff(ctx.store, run);
    return { runId: ctx.runId, runDir: ctx.store.runDir(ctx.runId), repoRoot: ctx.repoRoot, reason, state: final, run };
  } finally {
    for (const l of locks) l.release();
  }
}
