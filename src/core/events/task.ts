/**
 * Journal events of agent task runs (DESIGN §6). Each is a fact recorded after the shell performed
 * an effect; `decide` (src/core/tasks/decide.ts) folds them into the engine state, so replaying the
 * journal rebuilds exactly where a run is, which is what `resume` continues from.
 */
import * as z from 'zod';
import { lazySchema } from '../lazy-schema.js';
import { EngineLimitsSchema, PhaseSchema, StopReasonSchema, ViolationSchema } from '../tasks/state.js';
import { IMPLEMENT_STATUSES, MilestoneInputSchema, REVIEW_STATUSES } from '../tasks/worker-results.js';

const durationMs = lazySchema(() => z.number().nonnegative());
const usage = lazySchema(() => z.object({ tokens_in: z.number().nonnegative(), tokens_out: z.number().nonnegative(), cost_usd: z.number().nonnegative().optional() }).optional());

export const TaskStartedSchema = lazySchema(() => z.object({
  type: z.literal('task.started'),
  task: z.object({ file: z.string(), title: z.string(), sha256: z.string() }),
  fast: z.boolean(),
  options: z.object({
    worktree: z.boolean(),
    allow_deps: z.boolean(),
    allow_dirty: z.boolean(),
    time_budget_min: z.number().positive().nullable(),
  }),
  limits: EngineLimitsSchema,
  /** Milestones known without PLAN (`--fast`): the task file's `## Milestones`, or the task itself. */
  milestones: z.array(MilestoneInputSchema).nullable(),
  /** The effective task config (scope, verification, workers, phases, limits); resume reuses it. */
  config: z.looseObject({}),
  workers: z.object({ plan: z.string(), implement: z.string(), review: z.string() }),
  git: z.object({
    base_commit: z.string(),
    branch: z.string(),
    original_branch: z.string().nullable(),
    /** Repository-relative worktree directory, null when working in place. */
    worktree: z.string().nullable(),
    in_place: z.boolean(),
  }),
  /** Files already dirty when `--allow-dirty` was given (path + content hash); the guard ignores them while unchanged. */
  baseline_dirty: z.array(z.object({ path: z.string(), sha256: z.string().nullable() })),
}));

export const TaskPlannedSchema = lazySchema(() => z.object({
  type: z.literal('task.planned'),
  outcome: z.enum(['ok', 'rejected']),
  reason: z.string().nullable(),
  milestones: z.array(MilestoneInputSchema),
  scope_violations: z.array(ViolationSchema),
  worker: z.string(),
  duration_ms: durationMs,
  usage,
}));

export const TaskImplementedSchema = lazySchema(() => z.object({
  type: z.literal('task.implemented'),
  milestone_index: z.number().int().nonnegative(),
  attempt: z.number().int().positive(),
  status: z.enum(IMPLEMENT_STATUSES),
  memo: z.string(),
  /** Changed and untracked files seen by the scope guard (at most 200 listed). */
  changed_files: z.array(z.string()),
  changed_count: z.number().int().nonnegative(),
  violations: z.array(ViolationSchema),
  worker: z.string(),
  duration_ms: durationMs,
  usage,
}));

export const VerifyTierResultSchema = lazySchema(() => z.object({
  tier: z.string(),
  command: z.string(),
  exit_code: z.number().nullable(),
  signal: z.string().nullable(),
  timed_out: z.boolean(),
  duration_ms: durationMs,
}));

export const TaskVerifiedSchema = lazySchema(() => z.object({
  type: z.literal('task.verified'),
  milestone_index: z.number().int().nonnegative(),
  ok: z.boolean(),
  commands: z.array(VerifyTierResultSchema),
  /** The first failing command and the tail of its output (redacted). */
  failure: z.object({ tier: z.string(), command: z.string(), exit_code: z.number().nullable(), output_tail: z.string() }).nullable(),
  /** A re-verification on resume checks the scope first. */
  violations: z.array(ViolationSchema),
  log: z.string().nullable(),
  duration_ms: durationMs,
}));

export const TaskReviewedSchema = lazySchema(() => z.object({
  type: z.literal('task.reviewed'),
  milestone_index: z.number().int().nonnegative(),
  round: z.number().int().positive(),
  status: z.enum(REVIEW_STATUSES),
  changes: z.array(z.string()),
  worker: z.string(),
  duration_ms: durationMs,
  usage,
}));

export const TaskCheckpointedSchema = lazySchema(() => z.object({
  type: z.literal('task.checkpointed'),
  milestone_index: z.number().int().nonnegative(),
  /** Null when the final scope check refused to commit. */
  sha: z.string().nullable(),
  /** The commit already existed (made before a crash); no new commit was created. */
  reused: z.boolean(),
  files_count: z.number().int().nonnegative(),
  violations: z.array(ViolationSchema),
  duration_ms: durationMs,
}));

export const TaskStoppedSchema = lazySchema(() => z.object({
  type: z.literal('task.stopped'),
  reason: StopReasonSchema,
  detail: z.string().nullable(),
  /** Phase whose work was cut short (its time is added to that phase). */
  phase: PhaseSchema.nullable(),
  duration_ms: durationMs.nullable(),
  /** A `guard_violation` found around a worker call or verification (refs, git files, the main checkout). */
  violations: z.array(ViolationSchema).optional(),
}));

export const TaskResumedSchema = lazySchema(() => z.object({
  type: z.literal('task.resumed'),
  time_budget_min: z.number().positive().nullable(),
  max_ticks: z.number().int().positive(),
  /** Present when `--reload-config` replaced the recorded config. */
  config: z.looseObject({}).optional(),
  /** `resume --allow-deps`: dependency lockfiles may change from now on (recorded in the run's options). */
  allow_deps: z.literal(true).optional(),
}));

export const TASK_EVENT_SCHEMAS = [
  TaskStartedSchema,
  TaskPlannedSchema,
  TaskImplementedSchema,
  TaskVerifiedSchema,
  TaskReviewedSchema,
  TaskCheckpointedSchema,
  TaskStoppedSchema,
  TaskResumedSchema,
] as const;

export type TaskEvent = z.infer<(typeof TASK_EVENT_SCHEMAS)[number]>;
export type TaskEventType = TaskEvent['type'];
export type TaskEventOf<T extends TaskEventType> = Extract<TaskEvent, { type: T }>;
