/**
 * The session loop: perform the effect `decide` asked for, append the resulting event to the
 * journal (write-ahead), decide again — until `finish`. Short on purpose (STYLE §4): each phase
 * handler lives in ./phases/. Before every step the loop checks for Ctrl-C/SIGTERM and the time
 * budget, so a stop is always recorded as an event, never left implicit.
 */
import type { TaskEvent } from '../core/events/task.js';
import { decide } from '../core/tasks/decide.js';
import type { Effect, WorkEffect } from '../core/tasks/effects.js';
import type { WorkPhase } from '../core/tasks/phases.js';
import type { TaskState } from '../core/tasks/state.js';
import type { StopReason } from '../core/tasks/stop-reasons.js';
import { InternalError } from '../core/errors.js';
import type { TaskRunContext } from './context.js';
import { performCheckpoint } from './phases/checkpoint.js';
import { performImplement } from './phases/implement.js';
import { performPlan } from './phases/plan.js';
import { performReview } from './phases/review.js';
import { performVerify } from './phases/verify.js';

type Performer<E extends WorkEffect> = (ctx: TaskRunContext, s: TaskState, e: E) => Promise<TaskEvent>;

const PERFORMERS: { [K in WorkEffect['type']]: Performer<Extract<WorkEffect, { type: K }>> } = {
  plan: performPlan,
  implement: performImplement,
  verify: performVerify,
  review: performReview,
  checkpoint: performCheckpoint,
};

const PHASE: { [K in WorkEffect['type']]: WorkPhase } = { plan: 'PLAN', implement: 'IMPLEMENT', verify: 'VERIFY', review: 'REVIEW', checkpoint: 'CHECKPOINT' };

/** Effects performed between two fingerprints of the repository (worker calls and verification). */
const GUARDED: ReadonlySet<WorkEffect['type']> = new Set(['plan', 'implement', 'verify', 'review']);

function perform(ctx: TaskRunContext, s: TaskState, effect: WorkEffect): Promise<TaskEvent> {
  return (PERFORMERS[effect.type] as Performer<WorkEffect>)(ctx, s, effect);
}

/**
 * Append one event (write-ahead: before the next effect starts) and return the engine's decision.
 * The reducer folds the same event through the same `decide`, so the record and this state agree
 * (the record's copy has secrets redacted; this one only feeds prompts, which are redacted when written).
 */
export async function record(ctx: TaskRunContext, s: TaskState | null, event: TaskEvent): Promise<{ state: TaskState; effects: Effect[] }> {
  const { next, effects } = decide(s, event);
  await ctx.store.mutate(ctx.runId, () => [event]);
  return { state: next, effects };
}

/** Run until the engine says `finish`; returns the final state and stop reason. */
export async function runLoop(ctx: TaskRunContext, state: TaskState, effects: Effect[]): Promise<{ state: TaskState; reason: StopReason }> {
  let s = state;
  let pending = effects;
  for (;;) {
    const effect = pending[0];
    if (effect === undefined) throw new InternalError(`engine returned no effect in phase ${s.phase}`);
    if (effect.type === 'finish') return { state: s, reason: effect.reason };
    let event: TaskEvent;
    if (ctx.signal.aborted) {
      event = { type: 'task.stopped', reason: 'interrupted', detail: 'interrupted by a signal', phase: PHASE[effect.type], duration_ms: null };
    } else if (ctx.deadline !== null && ctx.now() >= ctx.deadline) {
      event = { type: 'task.stopped', reason: 'time_budget_exceeded', detail: 'the time budget ran out', phase: PHASE[effect.type], duration_ms: null };
    } else {
      // The guard's last clean view carries over only from one guarded effect straight to the next
      // (repo-guard.ts, snapshotRepo), and only in a run no other work shares the repository with:
      // a checkpoint moves the run's branch; an orchestrated run (hooks, refs runr moves) has
      // parallel tracks landing between its effects.
      const alone = ctx.hooks.beforeImplement === undefined && ctx.hooks.afterCheckpoint === undefined && ctx.ignoreRefs.length === 0;
      if (!alone || !GUARDED.has(effect.type)) ctx.guardCarry = null;
      const held = effect.type === 'implement' && ctx.hooks.beforeImplement !== undefined ? await ctx.hooks.beforeImplement(s, effect.milestone_index) : null;
      if (held !== null) event = { type: 'task.stopped', reason: held.reason, detail: held.detail, phase: 'IMPLEMENT', duration_ms: null };
      else if (ctx.signal.aborted) event = { type: 'task.stopped', reason: 'interrupted', detail: 'interrupted by a signal', phase: PHASE[effect.type], duration_ms: null };
      else event = await perform(ctx, s, effect);
    }
    ({ state: s, effects: pending } = await record(ctx, s, event));
    if (event.type === 'task.checkpointed' && event.sha !== null && ctx.hooks.afterCheckpoint !== undefined) {
      await ctx.hooks.afterCheckpoint(s, { milestone_index: event.milestone_index, sha: event.sha, files: event.reused ? null : ctx.committed });
    }
  }
}
