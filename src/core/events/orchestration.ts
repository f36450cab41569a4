/**
 * Journal events of an orchestration (kind `orchestration`, `runr orchestrate run`). The
 * orchestration's record says which task run each task became (and each task run's params name the
 * orchestration, track and task: linked both ways), what was predicted, what landed and in which
 * order. Replaying the journal tells `orchestrate resume` exactly which tasks still need work.
 */
import * as z from 'zod';
import { lazySchema } from '../lazy-schema.js';
import { CollisionActionSchema, CollisionKindSchema, CollisionPolicySchema, LandFailureSchema } from '../orchestrate/policy.js';
import { StopReasonSchema } from '../tasks/state.js';

const track = lazySchema(() => z.string());
const taskIndex = lazySchema(() => z.number().int().nonnegative());
const sha = lazySchema(() => z.string().regex(/^[0-9a-f]{40,64}$/));

export const OrchTaskSpecSchema = lazySchema(() => z.object({
  /** Repository-relative task file. */
  path: z.string(),
  title: z.string(),
  owns: z.array(z.string()),
  files_expected: z.array(z.string()),
}));
export type OrchTaskSpec = z.infer<typeof OrchTaskSpecSchema>;

export const OrchStartedSchema = lazySchema(() => z.object({
  type: z.literal('orch.started'),
  /** Repository-relative tracks file and its sha256. */
  config: z.object({ file: z.string(), sha256: z.string() }),
  tracks: z.array(z.object({ id: track, tasks: z.array(OrchTaskSpecSchema) })),
  policy: CollisionPolicySchema,
  max_parallel: z.number().int().positive(),
  integration_branch: z.string(),
  /** The commit the integration branch started from, and the user's branch then (never changed). */
  base_commit: sha,
  base_branch: z.string().nullable(),
  /** Options given to every task run. */
  options: z.object({ fast: z.boolean(), allow_deps: z.boolean() }),
}));

export const OrchTaskStartedSchema = lazySchema(() => z.object({
  type: z.literal('orch.task_started'),
  track,
  task_index: taskIndex,
  run_id: z.string(),
  /** The commit the task's worktree started from. */
  base: sha,
}));

/** A task run that was created but never started its work (the orchestrator died in between): unlinked, canceled, the task starts afresh. */
export const OrchTaskAbandonedSchema = lazySchema(() => z.object({ type: z.literal('orch.task_abandoned'), track, task_index: taskIndex, run_id: z.string(), detail: z.string() }));

export const OrchTaskResumedSchema = lazySchema(() => z.object({ type: z.literal('orch.task_resumed'), track, task_index: taskIndex, run_id: z.string() }));

export const OrchCheckpointSchema = lazySchema(() => z.object({
  type: z.literal('orch.checkpoint'),
  track,
  task_index: taskIndex,
  run_id: z.string(),
  milestone_index: z.number().int().nonnegative(),
  sha,
  /** Files the track's branch changed since the task's base (at most 200 listed). */
  changed: z.array(z.string()),
  /** Pairs checked with `git merge-tree` for this checkpoint (after the path filter), and cache hits. */
  dry_runs: z.number().int().nonnegative(),
  dry_run_ms: z.number().nonnegative(),
}));

export const OrchCollisionSchema = lazySchema(() => z.object({
  type: z.literal('orch.collision'),
  kind: CollisionKindSchema,
  /** The later track (the one the policy applies to). */
  track,
  /** The earlier track, or null for the integration branch. */
  other: z.string().nullable(),
  files: z.array(z.string()),
  /** The checkpoint that revealed it (merge dry-runs), null for a claims overlap. */
  checkpoint: z.object({ track, sha }).nullable(),
  policy: CollisionPolicySchema,
  action: CollisionActionSchema,
}));

export const OrchUnblockedSchema = lazySchema(() => z.object({
  type: z.literal('orch.unblocked'),
  track,
  /** The integration head merged into the track's branch before it continued, null if none was needed. */
  synced_to: sha.nullable(),
}));

export const OrchTaskFinishedSchema = lazySchema(() => z.object({
  type: z.literal('orch.task_finished'),
  track,
  task_index: taskIndex,
  /** Null when the task run could not be created (the error is in `detail`). */
  run_id: z.string().nullable(),
  stop_reason: StopReasonSchema,
  detail: z.string().nullable(),
  /** The task's last checkpoint (null: none). */
  head: sha.nullable(),
  /** Time the task run spent in the orchestrator's hooks (collision checks; waits excluded), ms. */
  hooks_ms: z.number().nonnegative().optional(),
}));

const VerifySchema = lazySchema(() => z.object({ tier: z.string(), command: z.string(), exit_code: z.number().nullable(), duration_ms: z.number().nonnegative() }));

export const OrchLandedSchema = lazySchema(() => z.object({
  type: z.literal('orch.landed'),
  track,
  task_index: taskIndex,
  run_id: z.string(),
  head: sha,
  /** The integration branch after landing (a merge commit, or `head` on a fast-forward). */
  integration_head: sha,
  order: z.number().int().positive(),
  verification: z.array(VerifySchema),
  /**
   * The integration commit whose tree `verification` ran on, when several queued tasks landed
   * together (the last of them: one verified merge); absent when this landing was verified alone.
   */
  verified_at: sha.optional(),
}));

export const OrchLandFailedSchema = lazySchema(() => z.object({
  type: z.literal('orch.land_failed'),
  track,
  task_index: taskIndex,
  run_id: z.string(),
  head: sha,
  reason: LandFailureSchema,
  files: z.array(z.string()),
  failure: z.object({ tier: z.string(), command: z.string(), exit_code: z.number().nullable(), output_tail: z.string() }).nullable(),
  log: z.string().nullable(),
  detail: z.string(),
}));

export const OrchResumedSchema = lazySchema(() => z.object({ type: z.literal('orch.resumed'), session: z.number().int().positive() }));

export const OrchStoppedSchema = lazySchema(() => z.object({
  type: z.literal('orch.stopped'),
  reason: z.enum(['interrupted']),
  detail: z.string(),
}));

export const OrchCompletedSchema = lazySchema(() => z.object({ type: z.literal('orch.completed') }));

export const ORCH_EVENT_SCHEMAS = [
  OrchStartedSchema,
  OrchTaskStartedSchema,
  OrchTaskResumedSchema,
  OrchTaskAbandonedSchema,
  OrchCheckpointSchema,
  OrchCollisionSchema,
  OrchUnblockedSchema,
  OrchTaskFinishedSchema,
  OrchLandedSchema,
  OrchLandFailedSchema,
  OrchResumedSchema,
  OrchStoppedSchema,
  OrchCompletedSchema,
] as const;

export type OrchEvent = z.infer<(typeof ORCH_EVENT_SCHEMAS)[number]>;
export type OrchEventType = OrchEvent['type'];
export type OrchEventOf<T extends OrchEventType> = Extract<OrchEvent, { type: T }>;
