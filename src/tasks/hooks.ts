/**
 * Hooks a caller of the task-run library may pass (the orchestrator does): they run inside the
 * session loop at the two points where parallel work must be coordinated, and are awaited.
 *  - `beforeImplement`: before every IMPLEMENT (so before each milestone starts). It may wait (a
 *    serialized track) or return a stop, which is recorded as the run's stop before any work.
 *  - `afterCheckpoint`: after a checkpoint commit was recorded (merge dry-runs start from here);
 *    `files` are the paths the commit changed against its parent, when this session made it (null:
 *    a commit found again on resume — ask git).
 */
import type { StopReason } from '../core/tasks/stop-reasons.js';
import type { TaskState } from '../core/tasks/state.js';

export interface HookStop {
  reason: StopReason;
  detail: string;
}

export interface TaskHooks {
  beforeImplement?: (s: TaskState, milestoneIndex: number) => Promise<HookStop | null>;
  afterCheckpoint?: (s: TaskState, checkpoint: { milestone_index: number; sha: string; files: string[] | null }) => Promise<void>;
}
