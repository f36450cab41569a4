/**
 * Journal events of RunOps invocations (kind `ops`, seed 000). A record stays small: the
 * candidates with their status and failing check names, the report path and counts — never logs.
 */
import * as z from 'zod';
import { lazySchema } from '../lazy-schema.js';

/** Which command ran: the whole lifecycle (`runr ops`) or one stage. */
export const OPS_STAGES = ['lifecycle', 'scan', 'monitor', 'verify', 'report'] as const;
export const OpsStageSchema = lazySchema(() => z.enum(OPS_STAGES));
export type OpsStage = z.infer<typeof OpsStageSchema>;

export const OpsStartedSchema = lazySchema(() => z.object({
  type: z.literal('ops.started'),
  stage: OpsStageSchema,
}));

export const OpsCandidateSchema = lazySchema(() => z.object({
  model_id: z.string(),
  instance_id: z.string(),
  /** Scan status, then the status after monitoring. */
  scan_status: z.string(),
  status: z.string(),
  monitor_timeout: z.boolean(),
  /** null: not verified. */
  verifier_pass: z.boolean().nullable(),
  failed_checks: z.array(z.string()),
  /** The envelope's compaction metrics (schema 1.4), for `runr view`; absent in older records. */
  compaction: z.record(z.string(), z.number()).nullable().optional(),
}));
export type OpsCandidate = z.infer<typeof OpsCandidateSchema>;

export const OpsCompletedSchema = lazySchema(() => z.object({
  type: z.literal('ops.completed'),
  stage: OpsStageSchema,
  status: z.enum(['PASSED', 'FAILED', 'CANCELED']),
  exit_code: z.number().int(),
  /** Repository-relative. */
  runtime_dir: z.string(),
  run_id: z.string(),
  candidates: z.array(OpsCandidateSchema),
  /** Repository-relative; null when no report was written. */
  report_path: z.string().nullable(),
  report_sha256: z.string().nullable(),
  report_generated: z.boolean(),
  report_kind: z.enum(['full', 'awaiting']).nullable(),
  counts: z.object({
    candidates: z.number().int().nonnegative(),
    valid: z.number().int().nonnegative(),
    invalid: z.number().int().nonnegative(),
    verification_failures: z.number().int().nonnegative(),
  }),
}));

export const OPS_EVENT_SCHEMAS = [OpsStartedSchema, OpsCompletedSchema] as const;
