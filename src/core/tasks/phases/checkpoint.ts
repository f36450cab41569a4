/** `task.checkpointed`: the milestone is done; next milestone, or the run is complete. */
import type { TaskEventOf } from '../../events/task.js';
import type { TaskState } from '../state.js';
import type { Decision } from './common.js';
import { expectMilestone, expectPhase, implement, milestoneAt, stop, stopForViolations, withMilestone } from './common.js';

export function onCheckpointed(s: TaskState, e: TaskEventOf<'task.checkpointed'>): Decision {
  expectPhase(s, 'CHECKPOINT', e.type);
  expectMilestone(s, e.milestone_index, e.type);
  if (e.sha === null && e.violations.length === 0) {
    // Nothing to commit: the milestone is not done. Stop in IMPLEMENT, so resume implements it again.
    const m = milestoneAt(s, s.milestone_index);
    return stop({ ...s, phase: 'IMPLEMENT' }, 'nothing_to_checkpoint', `${m.id} has no change to commit; it is not marked done`);
  }
  if (e.violations.length > 0 || e.sha === null) {
    return stopForViolations(s, e.violations, e.violations.length === 0 ? 'the checkpoint was refused' : undefined);
  }
  const m = milestoneAt(s, s.milestone_index);
  const done = withMilestone({ ...s, checkpoint_sha: e.sha, feedback: null }, s.milestone_index, { ...m, status: 'complete', checkpoint_sha: e.sha });
  const nextIndex = s.milestone_index + 1;
  if (nextIndex >= s.milestones.length) return stop({ ...done, milestone_index: s.milestone_index }, 'complete', null);
  return implement({ ...done, milestone_index: nextIndex });
}
