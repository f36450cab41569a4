/**
 * RUN.json and attempt files: a superset of the Orchestration Runner's format (DESIGN §4).
 * Objects are "loose" so that fields written by the original tool (e.g. `absolute_path`) or by a
 * newer runr survive a read–write cycle; every field runr relies on is checked.
 */
import * as z from 'zod';
import { lazySchema } from '../lazy-schema.js';

export const SCHEMA_VERSION = 1;

/** Run status. QUEUED: created, nothing started. RUNNING: a gate or phase is active.
 * PASSED / FAILED / CANCELED: ended (workflow runs, seed 001). STOPPED: a task run stopped before
 * completing; see `stop_reason` (it may be resumable). */
export const RUN_STATUSES = ['QUEUED', 'RUNNING', 'PASSED', 'FAILED', 'CANCELED', 'STOPPED'] as const;
export const RunStatusSchema = lazySchema(() => z.enum(RUN_STATUSES));
export type RunStatus = z.infer<typeof RunStatusSchema>;
export const TERMINAL_STATUSES: ReadonlySet<RunStatus> = new Set(['PASSED', 'FAILED', 'CANCELED']);

/** Gate status: NOT_STARTED → RUNNING → PASS | FAIL (gates may be re-attempted in any order). */
export const GATE_STATUSES = ['NOT_STARTED', 'RUNNING', 'PASS', 'FAIL'] as const;
export const GateStatusSchema = lazySchema(() => z.enum(GATE_STATUSES));
export type GateStatus = z.infer<typeof GateStatusSchema>;

export const ATTEMPT_STATUSES = ['RUNNING', 'PASS', 'FAIL'] as const;
export const AttemptStatusSchema = lazySchema(() => z.enum(ATTEMPT_STATUSES));
export type AttemptStatus = z.infer<typeof AttemptStatusSchema>;

/** Run kinds: workflow (gates), task (agent task run), ops (a RunOps invocation), pipeline (study stage),
 * orchestration (`runr orchestrate run`: parallel tracks of task runs). */
export const RUN_KINDS = ['workflow', 'task', 'ops', 'pipeline', 'orchestration'] as const;
export const RunKindSchema = lazySchema(() => z.enum(RUN_KINDS));
export type RunKind = z.infer<typeof RunKindSchema>;

export const DEPTHS = ['quick', 'standard', 'deep'] as const;
export const DepthSchema = lazySchema(() => z.enum(DEPTHS));
export type Depth = z.infer<typeof DepthSchema>;

export const ValidationResultSchema = lazySchema(() => z.looseObject({
  type: z.string(),
  pass: z.boolean(),
  description: z.string().optional(),
}));
export type ValidationResult = z.infer<typeof ValidationResultSchema>;

export const ArtifactSchema = lazySchema(() => z.looseObject({
  path: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  exists: z.boolean(),
  optional: z.boolean().optional(),
  bytes: z.number().int().nonnegative().optional(),
}));
export type Artifact = z.infer<typeof ArtifactSchema>;

export const RevalidationSchema = lazySchema(() => z.looseObject({
  status: AttemptStatusSchema,
  finished_at: z.string().nullable(),
  failure_reason: z.string().nullable(),
}));

export const AttemptSchema = lazySchema(() => z.looseObject({
  attempt: z.number().int().positive(),
  status: AttemptStatusSchema,
  started_at: z.string(),
  finished_at: z.string().nullable(),
  agent: z.string(),
  prompt_sha256: z.string().nullable().optional(),
  invocation_ids: z.array(z.string()),
  required_outputs: z.array(z.string()),
  artifacts: z.array(ArtifactSchema),
  validations: z.array(ValidationResultSchema),
  failure_reason: z.string().nullable(),
  executor: z.string().optional(),
  revalidations: z.array(RevalidationSchema).optional(),
}));
export type Attempt = z.infer<typeof AttemptSchema>;

/** An attempt file on disk carries the schema version too (runr-written ones). */
export const AttemptFileSchema = lazySchema(() => AttemptSchema.extend({ schema_version: z.number().int().optional() }));

export const GateRecordSchema = lazySchema(() => z.looseObject({
  gate: z.string(),
  name: z.string(),
  status: GateStatusSchema,
  attempts: z.array(AttemptSchema),
}));
export type GateRecord = z.infer<typeof GateRecordSchema>;

export const InvocationSchema = lazySchema(() => z.looseObject({
  invocation_id: z.string(),
  gate: z.string(),
  agent: z.string(),
  model: z.string(),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  duration_ms: z.number(),
  status: z.enum(['SUCCESS', 'FAIL']),
  input_refs: z.array(z.string()),
  output_refs: z.array(z.string()),
}));
export type Invocation = z.infer<typeof InvocationSchema>;

export const ArtifactIndexEntrySchema = lazySchema(() => z.looseObject({
  path: z.string(),
  sha256: z.string(),
  gate: z.string(),
  recorded_at: z.string(),
  updated_at: z.string().optional(),
}));
export type ArtifactIndexEntry = z.infer<typeof ArtifactIndexEntrySchema>;

/** The Orchestration Runner's human event list inside RUN.json. */
export const LegacyEventSchema = lazySchema(() => z.looseObject({ timestamp: z.string(), type: z.string() }));
export type LegacyEvent = z.infer<typeof LegacyEventSchema>;

export const RunRecordSchema = lazySchema(() => z.looseObject({
  schema_version: z.number().int().positive().optional(),
  run_id: z.string(),
  kind: RunKindSchema.optional(),
  workflow: z.looseObject({
    name: z.string(),
    version: z.string(),
    slug: z.string(),
    artifact_path: z.string(),
    file: z.string().optional(),
    sha256: z.string().optional(),
  }),
  depth: z.string(),
  prompt: z.looseObject({ file: z.string().nullable(), sha256: z.string() }).nullable().optional(),
  status: RunStatusSchema,
  started_at: z.string(),
  finished_at: z.string().nullable(),
  gates: z.array(GateRecordSchema),
  invocations: z.array(InvocationSchema),
  artifacts_index: z.array(ArtifactIndexEntrySchema),
  validations: z.array(z.unknown()),
  events: z.array(LegacyEventSchema),
  params: z.record(z.string(), z.unknown()).optional(),
  phase: z.string().nullable().optional(),
  stop_reason: z.string().nullable().optional(),
  metrics: z.record(z.string(), z.unknown()).optional(),
  tags: z.record(z.string(), z.string()).optional(),
  git: z.looseObject({}).nullable().optional(),
  framework: z.string().nullable().optional(),
  verification_status: z.string().nullable().optional(),
  /** Seq of the last journal event folded into this snapshot; absent on records of other tools. */
  journal_seq: z.number().int().nonnegative().optional(),
}));
export type RunRecord = z.infer<typeof RunRecordSchema>;
