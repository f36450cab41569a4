/** `task.started`: a new run. PLAN first, or straight to IMPLEMENT with `--fast`. */
import { InternalError } from '../../errors.js';
import type { TaskEventOf } from '../../events/task.js';
import type { Milestone, TaskState } from '../state.js';
import type { MilestoneInput } from '../worker-results.js';
import type { Decision } from './common.js';
import { enter, implement, stop } from './common.js';

export function toMilestones(inputs: readonly MilestoneInput[]): Milestone[] {
  return inputs.map((m, i) => ({
    id: `m${i + 1}`,
    goal: m.goal,
    files_expected: [...m.files_expected],
    done_checks: [...m.done_checks],
    risk_level: m.risk_level,
    status: 'pending',
    implement_attempts: 0,
    verify_failures: 0,
    verify_failures_total: 0,
    review_rounds: 0,
    review_fingerprints: [],
    checkpoint_sha: null,
  }));
}

export function onStarted(s: TaskState | null, e: TaskEventOf<'task.started'>): Decision {
  if (s !== null) throw new InternalError('task.started on a run that already started');
  const initial: TaskState = {
    phase: 'PLAN',
    stopped_in: null,
    stop_reason: null,
    stop_detail: null,
    fast: e.fast,
    limits: e.limits,
    milestones: [],
    milestone_index: 0,
    feedback: null,
    ticks: 0,
    session: 1,
    guard_violations: [],
    checkpoint_sha: null,
  };
  if (!e.fast) return enter(initial, { type: 'plan' });
  const milestones = toMilestones(e.milestones ?? []);
  if (milestones.length === 0) return stop({ ...initial, phase: 'PLAN' }, 'plan_rejection', 'the task has no milestones');
  return implement({ ...initial, phase: 'IMPLEMENT', milestones });
}
