/**
 * `task.reviewed`. `request_changes` goes back to IMPLEMENT with the changes as feedback; the same
 * request twice (by fingerprint), or more than `max_review_rounds` requests, is a review loop.
 */
import type { TaskEventOf } from '../../events/task.js';
import { reviewFingerprint } from '../fingerprint.js';
import type { TaskState } from '../state.js';
import type { Decision } from './common.js';
import { enter, expectMilestone, expectPhase, implement, milestoneAt, stop, withMilestone } from './common.js';

export function onReviewed(s: TaskState, e: TaskEventOf<'task.reviewed'>): Decision {
  expectPhase(s, 'REVIEW', e.type);
  expectMilestone(s, e.milestone_index, e.type);
  switch (e.status) {
    case 'approve':
      return enter({ ...s, feedback: null }, { type: 'checkpoint', milestone_index: s.milestone_index });
    case 'reject':
      return stop(s, 'review_rejected', e.changes.join('; ') || 'the reviewer rejected the approach');
    case 'request_changes': {
      const m = milestoneAt(s, s.milestone_index);
      const fp = reviewFingerprint(e.changes);
      const rounds = m.review_rounds + 1;
      const next = withMilestone({ ...s, feedback: { kind: 'review', changes: e.changes } }, s.milestone_index, {
        ...m,
        review_rounds: rounds,
        review_fingerprints: [...m.review_fingerprints, fp],
      });
      if (m.review_fingerprints.includes(fp)) return stop(next, 'review_loop_detected', `the same changes were requested twice on ${m.id} (fingerprint ${fp})`);
      if (rounds > s.limits.max_review_rounds) return stop(next, 'review_loop_detected', `${rounds} review rounds on ${m.id} (max_review_rounds ${s.limits.max_review_rounds})`);
      return implement(next);
    }
  }
}
