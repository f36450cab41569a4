/** The `pipeline` section of a variant's RUN.json (written by src/core/reduce/pipeline.ts). */
import * as z from 'zod';
import { lazySchema } from '../lazy-schema.js';
import { CheckOutcomeSchema, StageKeySchema, VariantOutcomeSchema } from '../events/pipeline.js';
import type { RunRecord } from '../schemas/run.js';

export const StageSectionSchema = lazySchema(() => z.object({
  status: z.enum(['RUNNING', 'PASS', 'WARN', 'FAIL']),
  key: StageKeySchema,
  outs: z.record(z.string(), z.string().nullable()),
  execution: z.number().int(),
  attempts: z.number().int(),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  failure_reason: z.string().nullable(),
  checks: z.array(CheckOutcomeSchema),
  metrics: z.record(z.string(), z.number().nullable()),
  fail_streak: z.number().int(),
  log: z.string().nullable(),
}));
export type StageSection = z.infer<typeof StageSectionSchema>;

export const PipelineSectionSchema = lazySchema(() => z.object({
  study: z.string(),
  batch: z.string(),
  variant: z.string(),
  seed: z.number().int(),
  execution: z.number().int(),
  outcome: VariantOutcomeSchema.nullable(),
  running: z.boolean(),
  escalated: z.object({ stage: z.string(), failure: z.string().nullable() }).nullable(),
  stages: z.record(z.string(), StageSectionSchema),
}));
export type PipelineSection = z.infer<typeof PipelineSectionSchema>;

/**
 * Sections the reducer (core/reduce/pipeline.ts) produced in this process. They are built from
 * validated events on a validated section, so reading one back (the record `RunStore.mutate` just
 * returned) needs a copy but not the schema check again: one check per event instead of two.
 */
const reduced = new WeakSet<object>();

/** Mark a section the reducer produced (see `reduced`). */
export function markReduced(s: PipelineSection): PipelineSection {
  reduced.add(s);
  return s;
}

/** Whether `s` is a section the reducer produced (see `reduced`). */
export function isReduced(s: unknown): s is PipelineSection {
  return typeof s === 'object' && s !== null && reduced.has(s);
}

/** The section, validated; null when the run has none (or it does not parse). */
export function readPipelineSection(run: RunRecord): PipelineSection | null {
  const raw = (run as Record<string, unknown>).pipeline;
  if (raw === undefined) return null;
  if (typeof raw === 'object' && raw !== null && reduced.has(raw)) return structuredClone(raw as PipelineSection);
  return parsePipelineSection(run);
}

/**
 * The section, validated, without a copy of what zod returns (objects and arrays are fresh; values
 * of `unknown` type are shared with the record): for the reducer, whose run is already a copy.
 */
export function parsePipelineSection(run: RunRecord): PipelineSection | null {
  const raw = (run as Record<string, unknown>).pipeline;
  if (raw === undefined) return null;
  const r = PipelineSectionSchema.safeParse(raw);
  return r.success ? r.data : null;
}
