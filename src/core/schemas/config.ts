/**
 * `.runr/runr.config.json`. The store section (where things live) is defined here; other
 * families add their own sections (tasks: agent/scope/verification/workers/phases/limits; ops:
 * presets). Unknown top-level keys are kept, so a newer config still loads.
 */
import * as z from 'zod';

const relPath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(p), 'must be a path relative to the repository root')
  .refine((p) => !p.split(/[\\/]/).includes('..'), "must not contain '..'");

export const StoreConfigSchema = z.object({
  /** runr's root directory (default `.runr`). */
  root: relPath.optional(),
  /** Where runs live (default `<root>/runs`); `orchestration/runs` keeps the Orchestration Runner layout. */
  runs_dir: relPath.optional(),
  contracts_dir: relPath.optional(),
  workflows_dir: relPath.optional(),
});

export const ConfigSchema = z.looseObject({
  $schema: z.string().optional(),
  schema_version: z.number().int().positive().optional(),
  ...StoreConfigSchema.shape,
});
export type RunrConfig = z.infer<typeof ConfigSchema>;
