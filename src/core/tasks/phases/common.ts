/** Transitions shared by the phase handlers: entering a work phase (tick accounting) and stopping. */
import type { Effect, WorkEffect } from '../effects.js';
import type { WorkPhase } from '../phases.js';
import type { Milestone, TaskState, Violation } from '../state.js';
import type { StopReason } from '../stop-reasons.js';
import { InternalError } from '../../errors.js';

export interface Decision {
  next: TaskState;
  effects: Effect[];
}

const PHASE_OF: { [K in WorkEffect['type']]: WorkPhase } = {
  plan: 'PLAN',
  implement: 'IMPLEMENT',
  verify: 'VERIFY',
  review: 'REVIEW',
  checkpoint: 'CHECKPOINT',
};

/** Enter the phase of `effect`, or stop with `max_ticks_reached` when the session used its steps. */
export function enter(s: TaskState, effect: WorkEffect): Decision {
  const phase = PHASE_OF[effect.type];
  if (s.ticks >= s.limits.max_ticks) return stop({ ...s, phase }, 'max_ticks_reached', `${s.ticks} steps in this session`);
  return { next: { ...s, phase, ticks: s.ticks + 1 }, effects: [effect] };
}

/** Stop the session in the current phase. */
export function stop(s: TaskState, reason: StopReason, detail: string | null): Decision {
  const stoppedIn = reason === 'complete' ? null : s.phase === 'STOPPED' ? s.stopped_in : s.phase;
  return {
    next: { ...s, phase: 'STOPPED', stopped_in: stoppedIn, stop_reason: reason, stop_detail: detail },
    effects: [{ type: 'finish', reason }],
  };
}

/** Stop for scope violations: `ownership_violation` when only `owns:` was broken, else `guard_violation`. */
export function stopForViolations(s: TaskState, violations: readonly Violation[], detail?: string): Decision {
  const reason: StopReason = violations.length > 0 && violations.every((v) => v.rule === 'ownership') ? 'ownership_violation' : 'guard_violation';
  return stop({ ...s, guard_violations: [...violations] }, reason, detail ?? violations.map((v) => `${v.path} (${v.rule})`).join(', '));
}

/** Enter IMPLEMENT for the current milestone (one more attempt). */
export function implement(s: TaskState): Decision {
  const m = milestoneAt(s, s.milestone_index);
  const attempt = m.implement_attempts + 1;
  const effect: WorkEffect = { type: 'implement', milestone_index: s.milestone_index, attempt };
  // A stop before the call happens (max_ticks) must not use up the attempt.
  if (s.ticks >= s.limits.max_ticks) return enter(s, effect);
  return enter(withMilestone(s, s.milestone_index, { ...m, status: 'in_progress', implement_attempts: attempt }), effect);
}

export function milestoneAt(s: TaskState, index: number): Milestone {
  const m = s.milestones[index];
  if (m === undefined) throw new InternalError(`milestone ${index} does not exist (${s.milestones.length} milestones)`);
  return m;
}

export function withMilestone(s: TaskState, index: number, m: Milestone): TaskState {
  const milestones = s.milestones.slice();
  milestones[index] = m;
  return { ...s, milestones };
}

/** Events must arrive in the phase that asked for them; anything else is a corrupt journal or a bug. */
export function expectPhase(s: TaskState, phase: WorkPhase, event: string): void {
  if (s.phase !== phase) throw new InternalError(`${event} arrived in phase ${s.phase}, expected ${phase}`);
}

export function expectMilestone(s: TaskState, index: number, event: string): void {
  if (s.milestone_index !== index) throw new InternalError(`${event} is for milestone ${index}, the run is at milestone ${s.milestone_index}`);
}
