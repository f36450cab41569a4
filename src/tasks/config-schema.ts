/**
 * The published JSON Schema of `.runr/runr.config.json` (`schemas/runr.config.schema.json`),
 * generated from the zod schemas so the two cannot drift: the store section (core/schemas/config)
 * plus the task-run sections (core/tasks/config) and the RunOps section (core/ops/presets). Other top-level keys stay allowed (other families'
 * sections, newer versions). test/tasks/config-schema.test.ts checks the committed file.
 */
import * as z from 'zod';
import { OpsConfigSchema } from '../core/ops/presets.js';
import { ConfigSchema } from '../core/schemas/config.js';
import { AgentSectionSchema, GuardSectionSchema, LimitsSectionSchema, PhasesSectionSchema, ScopeSectionSchema, VerificationSectionSchema, WorkerConfigSchema } from '../core/tasks/config.js';

export const CONFIG_SCHEMA_FILE = 'schemas/runr.config.schema.json';

export function configJsonSchema(): Record<string, unknown> {
  const file = z
    .looseObject({
      ...ConfigSchema.shape,
      agent: AgentSectionSchema.optional().describe('Who the project is (free-form: name, version).'),
      scope: ScopeSectionSchema.optional().describe('What a task run may change: denylist, then lockfiles (need --allow-deps), then allowlist plus presets.'),
      verification: VerificationSectionSchema.optional().describe('Shell commands run after each IMPLEMENT, tier0 then tier1 then tier2; the first failure is fed back.'),
      workers: z.record(z.string(), WorkerConfigSchema).optional().describe('Named workers: adapter claude | codex | command | scripted.'),
      phases: PhasesSectionSchema.optional().describe('Which worker runs PLAN, IMPLEMENT and REVIEW.'),
      limits: LimitsSectionSchema.optional().describe('Retry, review, time and step limits of a task run.'),
      guard: GuardSectionSchema.optional().describe('The repository guard: whether the repository\'s own unchanged hooks run on checkpoint commits.'),
      ops: OpsConfigSchema.optional().describe('RunOps: user presets for `runr ops --preset <name>`.'),
    })
    .describe('runr configuration (.runr/runr.config.json)');
  const schema = z.toJSONSchema(file, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  return { $id: 'urn:runr:schema:config', title: 'runr config', ...schema };
}

export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
