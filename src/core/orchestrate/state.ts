/**
 * An orchestration's state, kept in RUN.json under `orchestration` and rebuilt from its journal
 * (src/core/reduce/orchestration.ts). Read back with validation (`orchestrationOf`).
 */
import * as z from 'zod';
import { lazySchema } from '../lazy-schema.js';
import { OrchTaskSpecSchema } from '../events/orchestration.js';
import type { RunRecord } from '../schemas/run.js';
import { StopReasonSchema } from '../tasks/state.js';
import { CollisionActionSchema, CollisionKindSchema, CollisionPolicySchema } from './policy.js';

/**
 * A task of a track:
 *  - pending: not started (its track has not reached it, or no slot is free);
 *  - running: its task run is working;
 *  - waiting: its task run is held before its next milestone (`serialize`: an earlier track collides);
 *  - complete: its task run completed; queued to land on the integration branch;
 *  - landed: merged on the integration branch, verification green;
 *  - stopped: its task run stopped (see `stop_reason`);
 *  - not_landed: it completed but the merge conflicted or broke verification (`stop_reason`).
 */
export const ORCH_TASK_STATES = ['pending', 'running', 'waiting', 'complete', 'landed', 'stopped', 'not_landed'] as const;
export const OrchTaskStateSchema = lazySchema(() => z.enum(ORCH_TASK_STATES));
export type OrchTaskState = z.infer<typeof OrchTaskStateSchema>;

export const OrchTaskSchema = lazySchema(() => OrchTaskSpecSchema.extend({
  state: OrchTaskStateSchema,
  run_id: z.string().nullable(),
  base: z.string().nullable(),
  head: z.string().nullable(),
  stop_reason: StopReasonSchema.nullable(),
  detail: z.string().nullable(),
  waiting_on: z.array(z.string()).nullable(),
  landed: z.object({ order: z.number().int().positive(), integration_head: z.string() }).nullable(),
}));
export type OrchTask = z.infer<typeof OrchTaskSchema>;

export const OrchTrackSchema = lazySchema(() => z.object({
  id: z.string(),
  tasks: z.array(OrchTaskSchema),
  /** Files the active task's branch changed since its base (from its last checkpoint). */
  changed: z.array(z.string()),
}));
export type OrchTrack = z.infer<typeof OrchTrackSchema>;

export const CollisionRecordSchema = lazySchema(() => z.object({
  at: z.string(),
  kind: CollisionKindSchema,
  track: z.string(),
  other: z.string().nullable(),
  files: z.array(z.string()),
  checkpoint: z.object({ track: z.string(), sha: z.string() }).nullable(),
  action: CollisionActionSchema,
}));
export type CollisionRecord = z.infer<typeof CollisionRecordSchema>;

/** running: the orchestrator is (or should be) working; complete: every task landed; stopped: not all did, or it was interrupted. */
export const ORCH_STATUSES = ['running', 'complete', 'stopped'] as const;
export type OrchStatus = (typeof ORCH_STATUSES)[number];

export const OrchestrationStateSchema = lazySchema(() => z.object({
  status: z.enum(ORCH_STATUSES),
  /** 1 for the first session, +1 per resume. */
  session: z.number().int().positive(),
  /** Set when the orchestrator itself was interrupted. */
  interrupted: z.string().nullable(),
  config: z.object({ file: z.string(), sha256: z.string() }),
  policy: CollisionPolicySchema,
  max_parallel: z.number().int().positive(),
  options: z.object({ fast: z.boolean(), allow_deps: z.boolean() }),
  base_branch: z.string().nullable(),
  integration: z.object({ branch: z.string(), base_commit: z.string(), head: z.string() }),
  tracks: z.array(OrchTrackSchema),
  /** Collisions found (at most the last 200), oldest first. */
  collisions: z.array(CollisionRecordSchema),
  landed_count: z.number().int().nonnegative(),
  dry_runs: z.object({ checkpoints: z.number().int().nonnegative(), pairs: z.number().int().nonnegative(), total_ms: z.number().nonnegative() }),
}));
export type OrchestrationState = z.infer<typeof OrchestrationStateSchema>;

export function orchestrationOf(run: RunRecord): OrchestrationState | null {
  const r = OrchestrationStateSchema.safeParse(run.orchestration);
  return r.success ? r.data : null;
}

/** Finished tasks: nothing more will happen to them in this orchestration. */
export function taskSettled(t: OrchTask): boolean {
  return t.state === 'landed' || t.state === 'stopped' || t.state === 'not_landed';
}

/** A track is done when its last task landed, or stopped when a task of it stopped or did not land. */
export function trackOutcome(t: OrchTrack): 'landed' | 'stopped' | 'active' {
  if (t.tasks.some((k) => k.state === 'stopped' || k.state === 'not_landed')) return 'stopped';
  return t.tasks.every((k) => k.state === 'landed') ? 'landed' : 'active';
}
