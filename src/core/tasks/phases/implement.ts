/** `task.implemented`: the worker's answer plus the scope guard's verdict on what it changed. */
import type { TaskEventOf } from '../../events/task.js';
import type { TaskState } from '../state.js';
import type { Decision } from './common.js';
import { enter, expectMilestone, expectPhase, stop, stopForViolations } from './common.js';

export function onImplemented(s: TaskState, e: TaskEventOf<'task.implemented'>): Decision {
  expectPhase(s, 'IMPLEMENT', e.type);
  expectMilestone(s, e.milestone_index, e.type);
  if (e.status === 'blocked' || e.status === 'failed') {
    return stop(s, 'implement_blocked', e.memo === '' ? `the worker reported ${e.status}` : e.memo);
  }
  if (e.violations.length > 0) {
    return stopForViolations(s, e.violations);
  }
  return enter({ ...s, guard_violations: [] }, { type: 'verify', milestone_index: s.milestone_index, guard_first: false });
}
