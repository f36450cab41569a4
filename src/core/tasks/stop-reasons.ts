/**
 * THE registry of stop reasons (DESIGN §6, STYLE §3). `status`, `report --json`, `handoffs/stop.json`,
 * `resume` and `watch --auto-resume` all read this one table; nothing else decides resumability.
 */
/** The operator guide's six, then the three of workflow runs (core/workflows/next-step.ts). */
export const NEXT_ACTIONS = ['none', 'resume', 'fix_config', 'resolve_scope_violation', 'resolve_branch_mismatch', 'inspect_logs', 'finish_gate', 'start_gate', 'complete_run'] as const;
export type NextAction = (typeof NEXT_ACTIONS)[number];

export interface StopReasonInfo {
  /** One sentence for humans. */
  description: string;
  /** `runr resume` accepts a run stopped for this reason. */
  resumable: boolean;
  /** `watch --auto-resume` may resume it without asking (transient failures only). */
  autoResume: boolean;
  nextAction: NextAction;
  /** What to run next; `<run_id>` is replaced by the run's id. */
  suggestedCommand: string;
}

const resume = (description: string, suggestedCommand = 'runr resume <run_id>'): StopReasonInfo => ({
  description,
  resumable: true,
  autoResume: true,
  nextAction: 'resume',
  suggestedCommand,
});

export const STOP_REASONS = {
  /** Every milestone has a checkpoint. */
  complete: { description: 'Task finished, all gates passed', resumable: false, autoResume: false, nextAction: 'none', suggestedCommand: 'git log --format=%H%x09%s runr/<run_id>' },
  verification_failed_max_retries: resume('Verification failed max_verify_retries times for one milestone; resume re-verifies the work and resets the retry budget'),
  guard_violation: {
    description: 'Files outside the allowed scope were changed (or a lockfile without --allow-deps, an escaping symlink, a change under .git/)',
    resumable: false,
    autoResume: false,
    nextAction: 'resolve_scope_violation',
    // The operator guide's exact text (agents match on it).
    suggestedCommand: '# Review .runr/runr.config.json scope settings',
  },
  plan_scope_violation: {
    description: 'The plan expects to change files outside the allowed scope',
    resumable: false,
    autoResume: false,
    nextAction: 'resolve_scope_violation',
    suggestedCommand: '# Review .runr/runr.config.json scope settings or narrow the task, then run it again',
  },
  ownership_violation: {
    description: 'The task changed files outside the `owns:` globs of its front matter',
    resumable: false,
    autoResume: false,
    nextAction: 'resolve_scope_violation',
    suggestedCommand: '# Review the tracks’ file ownership, then run again',
  },
  parallel_file_collision: {
    description: 'Two parallel tracks would change the same files (predicted from their claims or a merge dry-run)',
    resumable: false,
    autoResume: false,
    nextAction: 'resolve_branch_mismatch',
    suggestedCommand: '# Serialize the colliding tasks (--collision-policy serialize) or merge the other track first, then run again',
  },
  merge_conflict: {
    description: 'The task completed but its branch conflicts with the integration branch (found when landing it)',
    resumable: false,
    autoResume: false,
    nextAction: 'resolve_branch_mismatch',
    suggestedCommand: '# Merge the integration branch into runr/<run_id>, resolve the conflict, then land it by hand',
  },
  merge_verification_failed: {
    description: 'The task completed but verification failed on the integration branch merged with it; the merge was not kept',
    resumable: false,
    autoResume: false,
    nextAction: 'inspect_logs',
    suggestedCommand: 'runr report <run_id>',
  },
  review_loop_detected: {
    description: 'Review asked for the same changes twice (or more than max_review_rounds times)',
    resumable: false,
    autoResume: false,
    nextAction: 'inspect_logs',
    suggestedCommand: 'runr report <run_id>',
  },
  review_rejected: {
    description: 'The reviewer rejected the approach',
    resumable: false,
    autoResume: false,
    nextAction: 'inspect_logs',
    suggestedCommand: 'runr report <run_id>',
  },
  plan_rejection: {
    description: 'The planner rejected the task (too vague, or no milestones)',
    resumable: false,
    autoResume: false,
    nextAction: 'inspect_logs',
    suggestedCommand: 'runr report <run_id>',
  },
  time_budget_exceeded: resume('The time budget ran out (each resume gets a fresh budget; --time sets it)'),
  max_ticks_reached: resume('The run took max_ticks phase steps in one session (each resume starts a new count; --max-ticks sets it)'),
  stalled_timeout: resume('The worker produced no output and changed no file for stall_timeout_s'),
  implement_blocked: resume('The worker reported it is blocked (or failed) on the milestone'),
  worker_timeout: resume('A worker call exceeded its timeout; its whole process group was killed'),
  interrupted: resume('The run was interrupted (signal, or its process died)'),
  worker_parse_failed: {
    description: 'The worker’s answer did not parse, even after a "JSON only" reminder',
    resumable: false,
    autoResume: false,
    nextAction: 'inspect_logs',
    suggestedCommand: 'runr report <run_id>',
  },
  worker_failed: {
    description: 'The worker could not be started or exited without an answer',
    resumable: true,
    autoResume: false,
    nextAction: 'fix_config',
    suggestedCommand: 'runr doctor && runr resume <run_id> --reload-config',
  },
  nothing_to_checkpoint: {
    description: 'A milestone reached CHECKPOINT with no change to commit, so nothing was marked done (its work was lost, e.g. with its worktree, or never made); resume implements it again',
    resumable: true,
    autoResume: false,
    nextAction: 'resume',
    suggestedCommand: 'runr resume <run_id>',
  },
  branch_mismatch: {
    description: 'The run’s branch no longer contains its last checkpoint, or another branch is checked out',
    resumable: true,
    autoResume: false,
    nextAction: 'resolve_branch_mismatch',
    suggestedCommand: 'git -C <worktree> switch runr/<run_id> && runr resume <run_id>',
  },
} as const satisfies Record<string, StopReasonInfo>;

export type StopReason = keyof typeof STOP_REASONS;
export const STOP_REASON_CODES = Object.keys(STOP_REASONS) as StopReason[];

export function isStopReason(s: string): s is StopReason {
  return Object.hasOwn(STOP_REASONS, s);
}

/** The suggested command with the run's id (and worktree, task) filled in. */
export function suggestedCommand(reason: StopReason, vars: { run_id: string; worktree?: string | null; task?: string | null }): string {
  return STOP_REASONS[reason].suggestedCommand
    .replaceAll('<run_id>', vars.run_id)
    .replaceAll('<worktree>', vars.worktree ?? '.')
    .replaceAll('<task>', vars.task ?? '<task>');
}
