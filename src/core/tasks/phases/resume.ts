/**
 * `task.resumed`: a new session. The retry budget of the milestone being resumed is reset, the
 * session's tick count starts over, and the phase that was cut short is entered again: a stop in
 * VERIFY re-verifies the work left in the worktree (after re-checking its scope) instead of
 * throwing it away; CHECKPOINT is idempotent (an existing commit for the milestone is reused).
 */
import { InternalError } from '../../errors.js';
import type { TaskEventOf } from '../../events/task.js';
import type { TaskState } from '../state.js';
import { STOP_REASONS } from '../stop-reasons.js';
import type { Decision } from './common.js';
import { enter, implement, milestoneAt, withMilestone } from './common.js';

/** A guard_violation whose violations are all dependency lockfiles: `resume --allow-deps` may continue it. */
export function lockfilesOnly(s: TaskState): boolean {
  return s.stop_reason === 'guard_violation' && s.guard_violations.length > 0 && s.guard_violations.every((v) => v.rule === 'lockfile');
}

export function onResumed(s: TaskState, e: TaskEventOf<'task.resumed'>): Decision {
  if (s.phase !== 'STOPPED' || s.stop_reason === null) throw new InternalError(`task.resumed on a run in phase ${s.phase}`);
  const depsOnly = e.allow_deps === true && lockfilesOnly(s);
  if (!STOP_REASONS[s.stop_reason].resumable && !depsOnly) throw new InternalError(`task.resumed on a run stopped with ${s.stop_reason}`);
  let next: TaskState = {
    ...s,
    stop_reason: null,
    stop_detail: null,
    ticks: 0,
    session: s.session + 1,
    limits: { ...s.limits, max_ticks: e.max_ticks },
  };
  const m = next.milestones[next.milestone_index];
  if (m !== undefined) next = withMilestone(next, next.milestone_index, { ...m, verify_failures: 0 });
  if (depsOnly) {
    // The work stays; the guard checks it again, now with dependency changes allowed.
    next = { ...next, guard_violations: [] };
    if (s.stopped_in === 'CHECKPOINT') return enter(next, { type: 'checkpoint', milestone_index: next.milestone_index });
    return enter(next, { type: 'verify', milestone_index: next.milestone_index, guard_first: true });
  }
  const at = s.stopped_in ?? (s.fast ? 'IMPLEMENT' : 'PLAN');
  switch (at) {
    case 'PLAN':
      return next.milestones.length > 0 && s.fast ? implement({ ...next, phase: 'IMPLEMENT' }) : enter(next, { type: 'plan' });
    case 'IMPLEMENT':
      return implement({ ...next, phase: 'IMPLEMENT' });
    case 'VERIFY':
      return enter(next, { type: 'verify', milestone_index: next.milestone_index, guard_first: true });
    case 'REVIEW':
      return enter(next, { type: 'review', milestone_index: next.milestone_index, round: milestoneAt(next, next.milestone_index).review_rounds + 1 });
    case 'CHECKPOINT':
      return enter(next, { type: 'checkpoint', milestone_index: next.milestone_index });
    case 'STOPPED':
      throw new InternalError('a run cannot be stopped in STOPPED');
  }
}
