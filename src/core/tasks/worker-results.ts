/**
 * What workers answer, per phase (FORMATS.md §002, the peer's shapes, kept so existing prompts
 * work). Objects are loose: extra keys a worker adds are ignored, never an error.
 */
import * as z from 'zod';
import { lazySchema } from '../lazy-schema.js';

export const RISK_LEVELS = ['low', 'medium', 'high'] as const;

export const MilestoneInputSchema = lazySchema(() => z.looseObject({
  goal: z.string().min(1),
  files_expected: z.array(z.string()).default([]),
  done_checks: z.array(z.string()).default([]),
  risk_level: z.enum(RISK_LEVELS).default('medium'),
}));
export type MilestoneInput = z.infer<typeof MilestoneInputSchema>;

export const PlanResultSchema = lazySchema(() => z.looseObject({
  /** runr extension: a planner may refuse the task (`plan_rejection`). */
  status: z.enum(['ok', 'reject']).default('ok'),
  reason: z.string().optional(),
  milestones: z.array(MilestoneInputSchema).default([]),
}));
export type PlanResult = z.infer<typeof PlanResultSchema>;

export const IMPLEMENT_STATUSES = ['ok', 'blocked', 'failed', 'no_changes_needed'] as const;
export type ImplementStatus = (typeof IMPLEMENT_STATUSES)[number];
export const ImplementResultSchema = lazySchema(() => z.looseObject({
  status: z.enum(IMPLEMENT_STATUSES),
  handoff_memo: z.string().default(''),
}));
export type ImplementResult = z.infer<typeof ImplementResultSchema>;

export const REVIEW_STATUSES = ['approve', 'request_changes', 'reject'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
/** Changes may be strings or objects (`{file, comment}`); objects are kept as compact JSON. */
const change = lazySchema(() => z.union([z.string(), z.looseObject({})]).transform((c) => (typeof c === 'string' ? c : JSON.stringify(c))));
export const ReviewResultSchema = lazySchema(() => z.looseObject({
  status: z.enum(REVIEW_STATUSES),
  changes: z.array(change).default([]),
}));
export type ReviewResult = z.infer<typeof ReviewResultSchema>;
