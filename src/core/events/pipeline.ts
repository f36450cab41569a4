/**
 * Journal events of study variant runs (kind `pipeline`, seed 003). One run per variant of a
 * batch; each `runr batch run` that has work for it is one *execution* (pipeline.started …
 * pipeline.finished). A stage's cache key is written when it starts (so an interrupted stage is
 * resumed with the same seed and config) and again with its output hashes when it finishes.
 */
import * as z from 'zod';
import { lazySchema } from '../lazy-schema.js';

const Scalar = lazySchema(() => z.union([z.string(), z.number(), z.boolean()]));
const Sha = lazySchema(() => z.string().regex(/^[0-9a-f]{64}$/));

export const StageKeySchema = lazySchema(() => z.object({
  deps: z.record(z.string(), Sha.nullable()),
  cmd_template: Sha,
  cmd: Sha,
  params: z.record(z.string(), Scalar),
  seed: z.number().int().nullable(),
}));

export const RerunReasonSchema = lazySchema(() => z.looseObject({ kind: z.string() }));

export const STAGE_STATUSES = ['PASS', 'WARN', 'FAIL'] as const;
export const StageStatusSchema = lazySchema(() => z.enum(STAGE_STATUSES));
export type StageStatus = z.infer<typeof StageStatusSchema>;

/** Outcome of a variant execution, as the registry spells it. */
export const VARIANT_OUTCOMES = ['success', 'failed', 'escalated', 'canceled'] as const;
export const VariantOutcomeSchema = lazySchema(() => z.enum(VARIANT_OUTCOMES));
export type VariantOutcome = z.infer<typeof VariantOutcomeSchema>;

export const CheckOutcomeSchema = lazySchema(() => z.object({
  type: z.string(),
  target: z.string().nullable(),
  severity: z.enum(['fail', 'warn']),
  /** PASS, WARN (a warn-severity check that did not hold) or FAIL. */
  status: StageStatusSchema,
  detail: z.string().nullable(),
}));
export type CheckOutcome = z.infer<typeof CheckOutcomeSchema>;

export const PipelineStartedSchema = lazySchema(() => z.object({
  type: z.literal('pipeline.started'),
  execution: z.number().int().positive(),
  study: z.string(),
  batch: z.string(),
  variant: z.string(),
  seed: z.number().int(),
  scenario_rev: z.string(),
  config_rev: z.string(),
  /** Stages found interrupted and resumed by this execution. */
  resumed: z.array(z.string()),
}));

export const StageStartedSchema = lazySchema(() => z.object({
  type: z.literal('stage.started'),
  execution: z.number().int().positive(),
  stage: z.string(),
  key: StageKeySchema,
  reasons: z.array(RerunReasonSchema),
  /** The command as it ran (redacted), for people reading the record. */
  cmd: z.string(),
}));

export const StageFinishedSchema = lazySchema(() => z.object({
  type: z.literal('stage.finished'),
  execution: z.number().int().positive(),
  stage: z.string(),
  status: StageStatusSchema,
  key: StageKeySchema,
  outs: z.record(z.string(), Sha.nullable()),
  exit_code: z.number().int().nullable(),
  signal: z.string().nullable(),
  timed_out: z.boolean(),
  duration_ms: z.number().nonnegative(),
  checks: z.array(CheckOutcomeSchema),
  failure_reason: z.string().nullable(),
  metrics: z.record(z.string(), z.number().nullable()),
  /** Repository-relative log of the command's output. */
  log: z.string().nullable(),
}));

export const PipelineFinishedSchema = lazySchema(() => z.object({
  type: z.literal('pipeline.finished'),
  execution: z.number().int().positive(),
  outcome: VariantOutcomeSchema,
  ran: z.array(z.string()),
  skipped: z.array(z.string()),
  blocked: z.array(z.string()),
  escalated: z.object({ stage: z.string(), failure: z.string().nullable() }).nullable(),
  notes: z.string(),
}));

export const PIPELINE_EVENT_SCHEMAS = [PipelineStartedSchema, StageStartedSchema, StageFinishedSchema, PipelineFinishedSchema] as const;
