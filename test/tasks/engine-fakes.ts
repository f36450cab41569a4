/** Small builders for engine tests (STYLE §12): events with sensible defaults. */
import type { TaskEventOf } from '../../src/core/events/task.js';
import { decide } from '../../src/core/tasks/decide.js';
import type { Decision } from '../../src/core/tasks/decide.js';
import type { TaskState } from '../../src/core/tasks/state.js';
import type { TaskEvent } from '../../src/core/events/task.js';

export const limits = { max_verify_retries: 3, max_review_rounds: 2, max_ticks: 100 };

export function started(over: Partial<TaskEventOf<'task.started'>> = {}): TaskEventOf<'task.started'> {
  return {
    type: 'task.started',
    task: { file: '.runr/tasks/t.md', title: 'T', sha256: 'x' },
    fast: false,
    options: { worktree: true, allow_deps: false, allow_dirty: false, time_budget_min: null },
    limits,
    milestones: null,
    config: {},
    workers: { plan: 'w', implement: 'w', review: 'w' },
    git: { base_commit: 'base', branch: 'runr/x', original_branch: 'main', worktree: '.runr/worktrees/x', in_place: false },
    baseline_dirty: [],
    ...over,
  };
}

export const ms = (n: number) => Array.from({ length: n }, (_, i) => ({ goal: `goal ${i + 1}`, files_expected: [], done_checks: [], risk_level: 'low' as const }));

export function planned(n = 2, over: Partial<TaskEventOf<'task.planned'>> = {}): TaskEventOf<'task.planned'> {
  return { type: 'task.planned', outcome: 'ok', reason: null, milestones: ms(n), scope_violations: [], worker: 'w', duration_ms: 5, ...over };
}

export function implemented(i: number, attempt: number, over: Partial<TaskEventOf<'task.implemented'>> = {}): TaskEventOf<'task.implemented'> {
  return { type: 'task.implemented', milestone_index: i, attempt, status: 'ok', memo: '', changed_files: ['src/a.ts'], changed_count: 1, violations: [], worker: 'w', duration_ms: 7, ...over };
}

export function verified(i: number, ok: boolean, over: Partial<TaskEventOf<'task.verified'>> = {}): TaskEventOf<'task.verified'> {
  return {
    type: 'task.verified',
    milestone_index: i,
    ok,
    commands: [{ tier: 'tier0', command: 'npm test', exit_code: ok ? 0 : 1, signal: null, timed_out: false, duration_ms: 3 }],
    failure: ok ? null : { tier: 'tier0', command: 'npm test', exit_code: 1, output_tail: 'FAIL x' },
    violations: [],
    log: null,
    duration_ms: 3,
    ...over,
  };
}

export function reviewed(i: number, round: number, status: 'approve' | 'request_changes' | 'reject', changes: string[] = []): TaskEventOf<'task.reviewed'> {
  return { type: 'task.reviewed', milestone_index: i, round, status, changes, worker: 'w', duration_ms: 2 };
}

export function checkpointed(i: number, sha: string | null = `sha${i}`, over: Partial<TaskEventOf<'task.checkpointed'>> = {}): TaskEventOf<'task.checkpointed'> {
  return { type: 'task.checkpointed', milestone_index: i, sha, reused: false, files_count: 1, violations: [], duration_ms: 1, ...over };
}

export function stopped(reason: TaskEventOf<'task.stopped'>['reason'], phase: TaskEventOf<'task.stopped'>['phase'] = null): TaskEventOf<'task.stopped'> {
  return { type: 'task.stopped', reason, detail: null, phase, duration_ms: phase === null ? null : 4 };
}

export function resumed(max_ticks = 100): TaskEventOf<'task.resumed'> {
  return { type: 'task.resumed', time_budget_min: null, max_ticks };
}

/** Fold events; returns the last decision. */
export function run(events: TaskEvent[], from: TaskState | null = null): Decision {
  let s = from;
  let d: Decision | null = null;
  for (const e of events) {
    d = decide(s, e);
    s = d.next;
  }
  if (d === null) throw new Error('no events');
  return d;
}
