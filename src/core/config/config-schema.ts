/**
 * `.runr/runr.config.json`: the one schema of runr's config. The store section (where things live)
 * is defined here; the task-run sections (core/tasks/config) and the RunOps section
 * (core/ops/presets) are composed into `RunrConfigFileSchema` (config-file-schema.ts, apart so
 * that start-up loads only the store section), from which the published JSON Schema
 * is generated (src/config/config-json-schema.ts). Each section is validated when its family reads
 * it (src/config/load-config.ts), so a broken task section never stops `runr run list`. Unknown
 * top-level keys are kept, so a newer config (or another family's section) still loads.
 */
import * as z from 'zod';
import { lazySchema } from '../lazy-schema.js';

// Built on first use (lazy-schema.ts): a project without a config file never needs them.
const relPath = () =>
  z
    .string()
    .min(1)
    .superRefine((p, ctx) => {
      if (p.includes('\0')) ctx.addIssue({ code: 'custom', message: `must not contain a NUL character (at offset ${p.indexOf('\0')})` });
    })
    .refine((p) => !p.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(p), 'must be a path relative to the repository root')
    .refine((p) => !p.split(/[\\/]/).includes('..'), "must not contain '..'");

export const StoreConfigSchema = lazySchema(() => {
  const rel = relPath();
  return z.object({
    /** runr's root directory (default `.runr`). */
    root: rel.optional(),
    /** Where runs live (default `<root>/runs`); `orchestration/runs` keeps the Orchestration Runner layout. */
    runs_dir: rel.optional(),
    contracts_dir: rel.optional(),
    workflows_dir: rel.optional(),
  });
});

export const ConfigSchema = lazySchema(() =>
  z.looseObject({
    $schema: z.string().optional(),
    schema_version: z.number().int().positive().optional(),
    ...StoreConfigSchema.shape,
  }),
);
export type RunrConfig = z.infer<typeof ConfigSchema>;

