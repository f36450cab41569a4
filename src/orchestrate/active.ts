/** What the orchestrator keeps in memory about each track's active task (rebuilt on resume). */
import type { Claim } from '../core/orchestrate/collide.js';

export interface PendingCollision {
  kind: 'merge_tree' | 'integration';
  /** The earlier track, or null for the integration branch. */
  other: string | null;
  files: string[];
  checkpoint: { track: string; sha: string };
}

export interface ActiveTask {
  track: string;
  taskIndex: number;
  runId: string | null;
  /** Commit the task's worktree started from. */
  base: string;
  /** Last checkpoint (null: none yet). */
  head: string | null;
  /** Absolute worktree of the task run (known once it started). */
  workDir: string | null;
  /** owns + files_expected (front matter and plan, from the current milestone on). */
  patterns: string[];
  changed: string[];
  /**
   * The position in the integration branch's session log (Integration.positionOf) that the task's
   * branch contains, besides its own track's work; null: unknown (what landed since is asked of git).
   */
  contains: number | null;
  /** The commit up to which `changed` is exact (base..changedAt); null: unknown, ask git. */
  changedAt: string | null;
  /** The last checkpoint's merge dry-runs, running alongside the task run (awaited before its next milestone and its end). */
  analysis: Promise<void> | null;
  /** Order in which tracks first passed the milestone gate: lower = earlier (never waits on a later one). */
  grant: number | null;
  pending: PendingCollision[];
  /** Collisions already acted on (key: other|files), so each is recorded once. */
  handled: Set<string>;
  /** Completed and queued to land (still active for collisions until it has landed). */
  landing: boolean;
  /** Time spent in the orchestrator's hooks for this task (waits on other tracks excluded), ms. */
  hookMs: number;
  /** Stops this task's run alone (its track's previous task did not land). */
  cancel: AbortController;
  /** Set when the task completed (its `orch.task_finished` write); from its last checkpoint on, before its session returns. */
  finished: Promise<void> | null;
}

export function claimOf(a: ActiveTask): Claim {
  return { patterns: a.patterns, changed: a.changed };
}
