/** The whole `.runr/runr.config.json` schema: the store section plus every family's section. */
import * as z from 'zod';
import { OpsConfigSchema } from '../ops/presets.js';
import { AgentSectionSchema, GuardSectionSchema, LimitsSectionSchema, PhasesSectionSchema, ScopeSectionSchema, VerificationSectionSchema, WorkerConfigSchema } from '../tasks/config.js';
import { ConfigSchema } from './config-schema.js';

/** The whole file: every section runr knows, as `runr init` writes and the JSON Schema publishes it. */
export const RunrConfigFileSchema = z
  .looseObject({
    ...ConfigSchema.shape,
    agent: AgentSectionSchema.optional().describe('Who the project is (free-form: name, version).'),
    scope: ScopeSectionSchema.optional().describe('What a task run may change: denylist, then lockfiles (need --allow-deps), then allowlist plus presets.'),
    verification: VerificationSectionSchema.optional().describe('Shell commands run after each IMPLEMENT, tier0 then tier1 then tier2; the first failure is fed back.'),
    workers: z.record(z.string(), WorkerConfigSchema).optional().describe('Named workers: adapter claude | codex | command | scripted.'),
    phases: PhasesSectionSchema.optional().describe('Which worker runs PLAN, IMPLEMENT and REVIEW.'),
    limits: LimitsSectionSchema.optional().describe('Retry, review, time and step limits of a task run.'),
    guard: GuardSectionSchema.optional().describe("The repository guard: whether the repository's own unchanged hooks run on checkpoint commits."),
    ops: OpsConfigSchema.optional().describe('RunOps: user presets for `runr ops --preset <name>`.'),
  })
  .describe('runr configuration (.runr/runr.config.json)');
