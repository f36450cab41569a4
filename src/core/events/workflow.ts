/** Journal events of workflow runs (seed 001). Each becomes one line of record/events.jsonl. */
import * as z from 'zod';
import { lazySchema } from '../lazy-schema.js';
import {
  ArtifactSchema,
  InvocationSchema,
  RunKindSchema,
  RunRecordSchema,
  RunStatusSchema,
  ValidationResultSchema,
} from '../schemas/run.js';

export const RunCreatedSchema = lazySchema(() => z.object({
  type: z.literal('run.created'),
  run_id: z.string(),
  kind: RunKindSchema,
  workflow: z.object({
    name: z.string(),
    version: z.string(),
    slug: z.string(),
    artifact_path: z.string(),
    file: z.string().optional(),
    sha256: z.string().optional(),
  }),
  depth: z.string(),
  prompt: z.object({ file: z.string().nullable(), sha256: z.string() }).nullable(),
  params: z.record(z.string(), z.unknown()),
  tags: z.record(z.string(), z.string()).optional(),
  gates: z.array(
    z.object({
      gate: z.string(),
      name: z.string(),
      /** Repository-relative contract path from the workflow file, if it names one. */
      contract: z.string().optional(),
      agent: z.string().optional(),
      executor: z.string().optional(),
    }),
  ),
  git: z.looseObject({}).nullable().optional(),
}));

/** A run written by another tool (no journal): its snapshot becomes the base of the journal. */
export const RunImportedSchema = lazySchema(() => z.object({
  type: z.literal('run.imported'),
  record: RunRecordSchema,
}));

export const GateStartedSchema = lazySchema(() => z.object({
  type: z.literal('gate.started'),
  gate: z.string(),
  name: z.string(),
  attempt: z.number().int().positive(),
  agent: z.string(),
  executor: z.string(),
  prompt_sha256: z.string().nullable(),
  required_outputs: z.array(z.string()),
}));

export const GateFinishedSchema = lazySchema(() => z.object({
  type: z.literal('gate.finished'),
  gate: z.string(),
  attempt: z.number().int().positive(),
  status: z.enum(['PASS', 'FAIL']),
  blocking: z.boolean(),
  required_outputs: z.array(z.string()),
  artifacts: z.array(ArtifactSchema),
  validations: z.array(ValidationResultSchema),
  failure_reason: z.string().nullable(),
}));

export const GateFailedSchema = lazySchema(() => z.object({
  type: z.literal('gate.failed'),
  gate: z.string(),
  /** The attempt marked failed; when `created`, a new manual attempt was opened for it. */
  attempt: z.number().int().positive(),
  created: z.boolean(),
  agent: z.string(),
  reason: z.string(),
  blocking: z.boolean(),
  required_outputs: z.array(z.string()),
}));

export const InvocationRecordedSchema = lazySchema(() => z.object({
  type: z.literal('invocation.recorded'),
  invocation: InvocationSchema,
  /** Attempt the invocation was linked to, if the gate had one. */
  attempt: z.number().int().positive().nullable(),
  log: z.string().optional(),
}));

export const RunCompletedSchema = lazySchema(() => z.object({
  type: z.literal('run.completed'),
  status: RunStatusSchema,
  /** `run complete --status PASSED --force` over failed blocking gates: the gates it overrode. */
  forced_over: z.array(z.object({ gate: z.string(), attempt: z.number().int().positive().nullable(), failure_reason: z.string().nullable() })).optional(),
}));

export const WORKFLOW_EVENT_SCHEMAS = [
  RunCreatedSchema,
  RunImportedSchema,
  GateStartedSchema,
  GateFinishedSchema,
  GateFailedSchema,
  InvocationRecordedSchema,
  RunCompletedSchema,
] as const;
