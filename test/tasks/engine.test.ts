import { describe, expect, it } from 'vitest';
import { decide } from '../../src/core/tasks/decide.js';
import { reviewFingerprint } from '../../src/core/tasks/fingerprint.js';
import { STOP_REASON_CODES, STOP_REASONS } from '../../src/core/tasks/stop-reasons.js';
import { checkpointed, implemented, limits, ms, planned, resumed, reviewed, run, started, stopped, verified } from './engine-fakes.js';

describe('decide: phase transitions', () => {
  it('starts in PLAN, or IMPLEMENT with --fast', () => {
    expect(decide(null, started())).toMatchObject({ next: { phase: 'PLAN', ticks: 1 }, effects: [{ type: 'plan' }] });
    const fast = decide(null, started({ fast: true, milestones: ms(1) }));
    expect(fast.next.phase).toBe('IMPLEMENT');
    expect(fast.effects).toEqual([{ type: 'implement', milestone_index: 0, attempt: 1 }]);
    expect(fast.next.milestones[0]).toMatchObject({ id: 'm1', status: 'in_progress', implement_attempts: 1 });
  });

  it('walks PLAN → IMPLEMENT → VERIFY → REVIEW → CHECKPOINT per milestone, then completes', () => {
    const steps = [
      [started(), 'PLAN', { type: 'plan' }],
      [planned(2), 'IMPLEMENT', { type: 'implement', milestone_index: 0, attempt: 1 }],
      [implemented(0, 1), 'VERIFY', { type: 'verify', milestone_index: 0, guard_first: false }],
      [verified(0, true), 'REVIEW', { type: 'review', milestone_index: 0, round: 1 }],
      [reviewed(0, 1, 'approve'), 'CHECKPOINT', { type: 'checkpoint', milestone_index: 0 }],
      [checkpointed(0), 'IMPLEMENT', { type: 'implement', milestone_index: 1, attempt: 1 }],
      [implemented(1, 1), 'VERIFY', { type: 'verify', milestone_index: 1, guard_first: false }],
      [verified(1, true), 'REVIEW', { type: 'review', milestone_index: 1, round: 1 }],
      [reviewed(1, 1, 'approve'), 'CHECKPOINT', { type: 'checkpoint', milestone_index: 1 }],
      [checkpointed(1), 'STOPPED', { type: 'finish', reason: 'complete' }],
    ] as const;
    let s = null as ReturnType<typeof decide>['next'] | null;
    for (const [event, phase, effect] of steps) {
      const d = decide(s, event);
      expect(d.next.phase).toBe(phase);
      expect(d.effects).toEqual([effect]);
      s = d.next;
    }
    expect(s).toMatchObject({ stop_reason: 'complete', stopped_in: null, checkpoint_sha: 'sha1', milestone_index: 1 });
    expect(s?.milestones.map((m) => [m.status, m.checkpoint_sha])).toEqual([
      ['complete', 'sha0'],
      ['complete', 'sha1'],
    ]);
  });

  it('--fast skips REVIEW: VERIFY goes straight to CHECKPOINT', () => {
    const d = run([started({ fast: true, milestones: ms(1) }), implemented(0, 1), verified(0, true)]);
    expect(d.effects).toEqual([{ type: 'checkpoint', milestone_index: 0 }]);
  });

  it('no_changes_needed still verifies', () => {
    const d = run([started(), planned(1), implemented(0, 1, { status: 'no_changes_needed', changed_files: [], changed_count: 0 })]);
    expect(d.next.phase).toBe('VERIFY');
  });

  it('rejects events that arrive in the wrong phase or for another milestone', () => {
    expect(() => run([started(), verified(0, true)])).toThrow(/arrived in phase PLAN/);
    expect(() => run([started(), planned(2), implemented(1, 1)])).toThrow(/milestone 1/);
    expect(() => decide(null, verified(0, true))).toThrow(/before task.started/);
  });
});

describe('decide: stop reasons', () => {
  const toVerify = [started(), planned(2), implemented(0, 1)];

  it('verification_failed_max_retries after max_verify_retries failures, feeding the failure back', () => {
    const once = run([...toVerify, verified(0, false)]);
    expect(once.effects).toEqual([{ type: 'implement', milestone_index: 0, attempt: 2 }]);
    expect(once.next.feedback).toEqual({ kind: 'verify', tier: 'tier0', command: 'npm test', exit_code: 1, output_tail: 'FAIL x' });
    const d = run([...toVerify, verified(0, false), implemented(0, 2), verified(0, false), implemented(0, 3), verified(0, false)]);
    expect(d.effects).toEqual([{ type: 'finish', reason: 'verification_failed_max_retries' }]);
    expect(d.next).toMatchObject({ phase: 'STOPPED', stopped_in: 'VERIFY', stop_reason: 'verification_failed_max_retries' });
    expect(d.next.milestones[0]).toMatchObject({ verify_failures: 3, verify_failures_total: 3, implement_attempts: 3 });
  });

  it('guard_violation from IMPLEMENT, from a re-verification, and from the checkpoint scope check', () => {
    const v = [{ path: 'package-lock.json', rule: 'lockfile' as const }];
    expect(run([...toVerify.slice(0, 2), implemented(0, 1, { violations: v })]).next).toMatchObject({ stop_reason: 'guard_violation', stopped_in: 'IMPLEMENT', guard_violations: v });
    expect(run([...toVerify, verified(0, true, { violations: v })]).next.stop_reason).toBe('guard_violation');
    const cp = run([...toVerify, verified(0, true), reviewed(0, 1, 'approve'), checkpointed(0, null, { violations: v })]);
    expect(cp.next).toMatchObject({ stop_reason: 'guard_violation', stopped_in: 'CHECKPOINT' });
  });

  it('plan_rejection and plan_scope_violation', () => {
    expect(run([started(), planned(0)]).next.stop_reason).toBe('plan_rejection');
    expect(run([started(), planned(1, { outcome: 'rejected', reason: 'too vague' })]).next).toMatchObject({ stop_reason: 'plan_rejection', stop_detail: 'too vague' });
    expect(run([started(), planned(1, { scope_violations: [{ path: 'infra/x', rule: 'plan_scope' }] })]).next.stop_reason).toBe('plan_scope_violation');
    expect(decide(null, started({ fast: true, milestones: [] })).next.stop_reason).toBe('plan_rejection');
  });

  it('implement_blocked for blocked and failed workers', () => {
    expect(run([started(), planned(1), implemented(0, 1, { status: 'blocked', memo: 'need creds' })]).next).toMatchObject({ stop_reason: 'implement_blocked', stop_detail: 'need creds' });
    expect(run([started(), planned(1), implemented(0, 1, { status: 'failed' })]).next.stop_reason).toBe('implement_blocked');
  });

  it('review_rejected', () => {
    expect(run([...toVerify, verified(0, true), reviewed(0, 1, 'reject', ['wrong approach'])]).next.stop_reason).toBe('review_rejected');
  });

  it('max_ticks_reached before the next step, resumable in the phase it would have entered', () => {
    const d = run([started({ limits: { ...limits, max_ticks: 2 } }), planned(1), implemented(0, 1)]);
    expect(d.next).toMatchObject({ phase: 'STOPPED', stop_reason: 'max_ticks_reached', stopped_in: 'VERIFY' });
    // The attempt a stop prevented is not counted.
    const i = run([started({ limits: { ...limits, max_ticks: 1 } }), planned(1)]);
    expect(i.next).toMatchObject({ stop_reason: 'max_ticks_reached', stopped_in: 'IMPLEMENT' });
    expect(i.next.milestones[0]?.implement_attempts).toBe(0);
  });

  it('shell-observed stops keep the phase they cut short', () => {
    for (const reason of ['interrupted', 'worker_timeout', 'worker_parse_failed', 'stalled_timeout', 'time_budget_exceeded', 'worker_failed'] as const) {
      const d = run([started(), planned(1), stopped(reason, 'IMPLEMENT')]);
      expect(d.next).toMatchObject({ phase: 'STOPPED', stop_reason: reason, stopped_in: 'IMPLEMENT' });
      expect(d.effects).toEqual([{ type: 'finish', reason }]);
    }
    // A stop on a stopped run replaces the reason, keeps the phase.
    const twice = run([started(), planned(1), stopped('interrupted', 'IMPLEMENT'), stopped('branch_mismatch')]);
    expect(twice.next).toMatchObject({ stop_reason: 'branch_mismatch', stopped_in: 'IMPLEMENT' });
  });

  it('the registry knows every reason the engine produces and the DESIGN resumability', () => {
    const resumable = STOP_REASON_CODES.filter((c) => STOP_REASONS[c].resumable && STOP_REASONS[c].autoResume).sort();
    expect(resumable).toEqual(['implement_blocked', 'interrupted', 'max_ticks_reached', 'stalled_timeout', 'time_budget_exceeded', 'verification_failed_max_retries', 'worker_timeout']);
    for (const c of ['guard_violation', 'plan_scope_violation', 'ownership_violation', 'review_loop_detected', 'parallel_file_collision', 'worker_parse_failed', 'plan_rejection', 'complete']) {
      expect(STOP_REASONS[c as keyof typeof STOP_REASONS].resumable, c).toBe(false);
    }
    expect(STOP_REASONS.guard_violation.nextAction).toBe('resolve_scope_violation');
    expect(STOP_REASONS.complete.nextAction).toBe('none');
  });
});

describe('review-loop fingerprinting', () => {
  const toReview = [started(), planned(1), implemented(0, 1), verified(0, true)];

  it('request_changes goes back to IMPLEMENT with the changes as feedback', () => {
    const d = run([...toReview, reviewed(0, 1, 'request_changes', ['Add a test'])]);
    expect(d.effects).toEqual([{ type: 'implement', milestone_index: 0, attempt: 2 }]);
    expect(d.next.feedback).toEqual({ kind: 'review', changes: ['Add a test'] });
  });

  it('the same request twice (reordered, reformatted) is review_loop_detected', () => {
    expect(reviewFingerprint(['Add a test.', 'Rename  foo'])).toBe(reviewFingerprint(['rename foo', 'add a TEST']));
    expect(reviewFingerprint(['Add a test'])).not.toBe(reviewFingerprint(['Add two tests']));
    const d = run([...toReview, reviewed(0, 1, 'request_changes', ['Add a test.', 'Rename foo']), implemented(0, 2), verified(0, true), reviewed(0, 2, 'request_changes', ['rename foo', 'ADD a test'])]);
    expect(d.next).toMatchObject({ stop_reason: 'review_loop_detected', stopped_in: 'REVIEW' });
  });

  it('more than max_review_rounds distinct requests is a loop too', () => {
    const d = run([
      ...toReview,
      reviewed(0, 1, 'request_changes', ['a']),
      implemented(0, 2),
      verified(0, true),
      reviewed(0, 2, 'request_changes', ['b']),
      implemented(0, 3),
      verified(0, true),
      reviewed(0, 3, 'request_changes', ['c']),
    ]);
    expect(d.next.stop_reason).toBe('review_loop_detected');
    expect(d.next.stop_detail).toMatch(/max_review_rounds 2/);
  });
});

describe('resume and retry accounting', () => {
  const failedOut = [started(), planned(2), implemented(0, 1), verified(0, false), implemented(0, 2), verified(0, false), implemented(0, 3), verified(0, false)];

  it('resets the retry budget of the resumed milestone, keeps totals, and re-verifies the work first', () => {
    const d = run([...failedOut, resumed()]);
    expect(d.effects).toEqual([{ type: 'verify', milestone_index: 0, guard_first: true }]);
    expect(d.next).toMatchObject({ phase: 'VERIFY', session: 2, ticks: 1, stop_reason: null });
    expect(d.next.milestones[0]).toMatchObject({ verify_failures: 0, verify_failures_total: 3 });
    // A fresh budget: two more failures do not stop, the third does.
    const after = run([...failedOut, resumed(), verified(0, false), implemented(0, 4), verified(0, false)]);
    expect(after.effects).toEqual([{ type: 'implement', milestone_index: 0, attempt: 5 }]);
    expect(after.next.milestones[0]).toMatchObject({ verify_failures: 2, verify_failures_total: 5 });
    const again = run([...failedOut, resumed(), verified(0, false), implemented(0, 4), verified(0, false), implemented(0, 5), verified(0, false)]);
    expect(again.next.stop_reason).toBe('verification_failed_max_retries');
  });

  it('a re-verification that passes continues to REVIEW and then the next milestone', () => {
    const d = run([...failedOut, resumed(), verified(0, true), reviewed(0, 1, 'approve'), checkpointed(0)]);
    expect(d.effects).toEqual([{ type: 'implement', milestone_index: 1, attempt: 1 }]);
  });

  it('re-enters the phase that was cut short', () => {
    expect(run([started(), planned(2), stopped('interrupted', 'IMPLEMENT'), resumed()]).effects).toEqual([{ type: 'implement', milestone_index: 0, attempt: 2 }]);
    expect(run([started(), stopped('interrupted', 'PLAN'), resumed()]).effects).toEqual([{ type: 'plan' }]);
    expect(run([started(), planned(1), implemented(0, 1), verified(0, true), stopped('worker_timeout', 'REVIEW'), resumed()]).effects).toEqual([{ type: 'review', milestone_index: 0, round: 1 }]);
    expect(run([started(), planned(1), implemented(0, 1), verified(0, true), reviewed(0, 1, 'approve'), stopped('interrupted', 'CHECKPOINT'), resumed()]).effects).toEqual([{ type: 'checkpoint', milestone_index: 0 }]);
  });

  it('continues after the last checkpoint', () => {
    const d = run([started(), planned(2), implemented(0, 1), verified(0, true), reviewed(0, 1, 'approve'), checkpointed(0), stopped('interrupted', 'IMPLEMENT'), resumed()]);
    expect(d.effects).toEqual([{ type: 'implement', milestone_index: 1, attempt: 2 }]);
    expect(d.next.milestones[0]?.status).toBe('complete');
  });

  it('refuses to resume a non-resumable or running run', () => {
    expect(() => run([started(), planned(0), resumed()])).toThrow(/plan_rejection/);
    expect(() => run([started(), resumed()])).toThrow(/phase PLAN/);
  });

  it('resets the session tick budget', () => {
    const d = run([started({ limits: { ...limits, max_ticks: 2 } }), planned(1), implemented(0, 1), resumed(10)]);
    expect(d.next).toMatchObject({ phase: 'VERIFY', ticks: 1, limits: { max_ticks: 10 } });
  });
});
