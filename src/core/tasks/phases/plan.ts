/** `task.planned`: the planner's milestones (checked against the scope by the shell). */
import type { TaskEventOf } from '../../events/task.js';
import type { TaskState } from '../state.js';
import type { Decision } from './common.js';
import { expectPhase, implement, stop } from './common.js';
import { toMilestones } from './start.js';

export function onPlanned(s: TaskState, e: TaskEventOf<'task.planned'>): Decision {
  expectPhase(s, 'PLAN', e.type);
  if (e.outcome === 'rejected') return stop(s, 'plan_rejection', e.reason ?? 'the planner rejected the task');
  if (e.milestones.length === 0) return stop(s, 'plan_rejection', 'the plan has no milestones');
  if (e.scope_violations.length > 0) {
    const files = e.scope_violations.map((v) => v.path).join(', ');
    return stop({ ...s, guard_violations: e.scope_violations }, 'plan_scope_violation', `the plan expects files outside the scope: ${files}`);
  }
  return implement({ ...s, phase: 'IMPLEMENT', milestones: toMilestones(e.milestones), milestone_index: 0 });
}
