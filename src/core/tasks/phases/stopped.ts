/**
 * `task.stopped`: a stop the shell observed (signal, dead process, worker timeout or parse failure,
 * time budget, branch mismatch found on resume). On a stopped run it replaces the reason and keeps
 * the phase to resume in.
 */
import type { TaskEventOf } from '../../events/task.js';
import type { TaskState } from '../state.js';
import type { Decision } from './common.js';
import { stop } from './common.js';

export function onStopped(s: TaskState, e: TaskEventOf<'task.stopped'>): Decision {
  return stop(e.violations !== undefined && e.violations.length > 0 ? { ...s, guard_violations: e.violations } : s, e.reason, e.detail);
}
