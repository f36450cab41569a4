/**
 * The phases of a task run (DESIGN §6). A run is in exactly one phase at a time; `STOPPED` is
 * terminal for a session (the stop reason says whether it completed or can be resumed).
 */
export const PHASES = [
  /** A worker turns the task into milestones. Skipped by `--fast`. */
  'PLAN',
  /** A worker changes files for the current milestone (then the scope guard checks them). */
  'IMPLEMENT',
  /** The verification tiers run in the worktree; failures go back to IMPLEMENT. */
  'VERIFY',
  /** A worker reviews the milestone; `request_changes` goes back to IMPLEMENT. Skipped by `--fast`. */
  'REVIEW',
  /** A commit with `Runr-Run:` / `Runr-Milestone:` trailers. */
  'CHECKPOINT',
  /** The session ended; see `stop_reason` (`complete` when every milestone has a checkpoint). */
  'STOPPED',
] as const;
export type Phase = (typeof PHASES)[number];

/** Phases that do work (everything but STOPPED), in the order a milestone goes through them. */
export const WORK_PHASES = ['PLAN', 'IMPLEMENT', 'VERIFY', 'REVIEW', 'CHECKPOINT'] as const satisfies readonly Phase[];
export type WorkPhase = (typeof WORK_PHASES)[number];

/** Phases in which a worker is called. */
export type WorkerPhase = Extract<Phase, 'PLAN' | 'IMPLEMENT' | 'REVIEW'>;
