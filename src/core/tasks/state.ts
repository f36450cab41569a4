/**
 * The engine's state for one task run, kept in RUN.json under `task` and rebuilt from the journal
 * by replaying every `task.*` event through `decide`. Everything here is data the engine needs to
 * decide the next step after a crash; derived views (status, report) are computed from it.
 */
import * as z from 'zod';
import { lazySchema } from '../lazy-schema.js';
import { PHASES } from './phases.js';
import { STOP_REASON_CODES } from './stop-reasons.js';
import type { StopReason } from './stop-reasons.js';
import { RISK_LEVELS } from './worker-results.js';

export const PhaseSchema = lazySchema(() => z.enum(PHASES));
export const StopReasonSchema = lazySchema(() => z.enum(STOP_REASON_CODES as [StopReason, ...StopReason[]]));

export const VIOLATION_RULES = ['denylist', 'allowlist', 'lockfile', 'symlink_escape', 'git_dir', 'plan_scope', 'ownership', 'ref', 'main_checkout'] as const;
export const ViolationSchema = lazySchema(() => z.object({
  path: z.string(),
  rule: z.enum(VIOLATION_RULES),
  detail: z.string().optional(),
}));
export type Violation = z.infer<typeof ViolationSchema>;

export const MILESTONE_STATUSES = ['pending', 'in_progress', 'complete'] as const;
export const MilestoneSchema = lazySchema(() => z.object({
  /** m1, m2, … */
  id: z.string(),
  goal: z.string(),
  files_expected: z.array(z.string()),
  done_checks: z.array(z.string()),
  risk_level: z.enum(RISK_LEVELS),
  status: z.enum(MILESTONE_STATUSES),
  /** IMPLEMENT calls for this milestone, over all sessions. */
  implement_attempts: z.number().int().nonnegative(),
  /** Failed verifications counted against the retry budget (reset by resume). */
  verify_failures: z.number().int().nonnegative(),
  /** Failed verifications over all sessions. */
  verify_failures_total: z.number().int().nonnegative(),
  /** REVIEW rounds that requested changes. */
  review_rounds: z.number().int().nonnegative(),
  /** Fingerprints of the change requests seen (review-loop detection). */
  review_fingerprints: z.array(z.string()),
  checkpoint_sha: z.string().nullable(),
}));
export type Milestone = z.infer<typeof MilestoneSchema>;

/** What the next IMPLEMENT is told about the previous attempt. */
export const FeedbackSchema = lazySchema(() => z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('verify'), tier: z.string(), command: z.string(), exit_code: z.number().nullable(), output_tail: z.string() }),
  z.object({ kind: z.literal('review'), changes: z.array(z.string()) }),
]));
export type Feedback = z.infer<typeof FeedbackSchema>;

export const EngineLimitsSchema = lazySchema(() => z.object({
  max_verify_retries: z.number().int().positive(),
  max_review_rounds: z.number().int().positive(),
  max_ticks: z.number().int().positive(),
}));
export type EngineLimits = z.infer<typeof EngineLimitsSchema>;

export const TaskStateSchema = lazySchema(() => z.object({
  phase: PhaseSchema,
  /** The phase that was active when the session stopped (resume re-enters it). */
  stopped_in: PhaseSchema.nullable(),
  stop_reason: StopReasonSchema.nullable(),
  stop_detail: z.string().nullable(),
  fast: z.boolean(),
  limits: EngineLimitsSchema,
  milestones: z.array(MilestoneSchema),
  milestone_index: z.number().int().nonnegative(),
  feedback: FeedbackSchema.nullable(),
  /** Steps taken in the current session (`max_ticks`). */
  ticks: z.number().int().nonnegative(),
  /** 1 for the first session, +1 per resume. */
  session: z.number().int().positive(),
  guard_violations: z.array(ViolationSchema),
  /** Last checkpoint commit. */
  checkpoint_sha: z.string().nullable(),
}));
export type TaskState = z.infer<typeof TaskStateSchema>;
