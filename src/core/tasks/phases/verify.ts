/**
 * `task.verified`. Retry accounting: a failure counts against the milestone's budget
 * (`verify_failures`, reset by resume) and its total; the failing output becomes the next
 * IMPLEMENT's feedback. When the budget is used up the run stops, resumable.
 */
import type { TaskEventOf } from '../../events/task.js';
import type { TaskState } from '../state.js';
import type { Decision } from './common.js';
import { enter, expectMilestone, expectPhase, implement, milestoneAt, stop, stopForViolations, withMilestone } from './common.js';

export function onVerified(s: TaskState, e: TaskEventOf<'task.verified'>): Decision {
  expectPhase(s, 'VERIFY', e.type);
  expectMilestone(s, e.milestone_index, e.type);
  if (e.violations.length > 0) {
    return stopForViolations(s, e.violations);
  }
  if (e.ok) {
    const cleared: TaskState = { ...s, feedback: null, guard_violations: [] };
    if (s.fast) return enter(cleared, { type: 'checkpoint', milestone_index: s.milestone_index });
    const m = milestoneAt(s, s.milestone_index);
    return enter(cleared, { type: 'review', milestone_index: s.milestone_index, round: m.review_rounds + 1 });
  }
  const m = milestoneAt(s, s.milestone_index);
  const failed = withMilestone(s, s.milestone_index, {
    ...m,
    verify_failures: m.verify_failures + 1,
    verify_failures_total: m.verify_failures_total + 1,
  });
  const f = e.failure;
  const next: TaskState = {
    ...failed,
    feedback: f === null ? null : { kind: 'verify', tier: f.tier, command: f.command, exit_code: f.exit_code, output_tail: f.output_tail },
  };
  if (m.verify_failures + 1 >= s.limits.max_verify_retries) {
    const what = f === null ? 'verification failed' : `${f.tier} \`${f.command}\` failed (exit ${f.exit_code ?? 'none'})`;
    return stop(next, 'verification_failed_max_retries', `${what}; ${m.verify_failures + 1} failures on ${m.id}`);
  }
  return implement(next);
}
