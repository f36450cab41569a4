/**
 * `batches/<batch_id>/manifest.yaml`: the document's fields, in its order (study, batch_id,
 * scenario_rev, config_rev, created_at, objective, base_paths, variants[{id, seed, overrides}]),
 * plus `sweep` (how the variants were made: axes, factorial, seeds), which the comparability
 * check reads. Every id is validated; overrides must be scalars with param names.
 */
import * as z from 'zod';
import { AXIS_RE, checkBatch, checkConfigRev, checkScenarioRev, checkStudy, checkVariant } from './ids.js';
import { BUILTIN_VARS, ScalarSchema } from './pipeline.js';

const idOf = (check: (s: string) => string | null) =>
  z.string().superRefine((s, ctx) => {
    const p = check(s);
    if (p !== null) ctx.addIssue({ code: 'custom', message: p });
  });

const RESERVED = new Set<string>([...BUILTIN_VARS, 'scenario_rev', 'config_rev']);

const OverrideName = z
  .string()
  .regex(AXIS_RE, 'expected an override name (lowercase letters, digits, _)')
  .superRefine((n, ctx) => {
    if (RESERVED.has(n)) ctx.addIssue({ code: 'custom', message: `${n} is reserved (a built-in template variable)` });
  });

export const VariantEntrySchema = z.strictObject({
  id: idOf(checkVariant),
  seed: z.number().int().nonnegative(),
  overrides: z.record(OverrideName, ScalarSchema).default({}),
});
export type VariantEntry = z.infer<typeof VariantEntrySchema>;

export const SweepSchema = z.strictObject({
  axes: z.record(OverrideName, z.array(ScalarSchema)),
  factorial: z.boolean(),
  seeds: z.array(z.number().int().nonnegative()).min(1),
});
export type SweepInfo = z.infer<typeof SweepSchema>;

export const BatchManifestSchema = z
  .looseObject({
    study: idOf(checkStudy),
    batch_id: idOf(checkBatch),
    scenario_rev: idOf(checkScenarioRev),
    config_rev: idOf(checkConfigRev),
    created_at: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, 'expected a UTC time like 2026-02-13T21:40:00Z'),
    objective: z.string().min(1),
    base_paths: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a key like population_spec'), z.string().min(1)).default({}),
    variants: z.array(VariantEntrySchema).min(1),
    sweep: SweepSchema.optional(),
  })
  .superRefine((m, ctx) => {
    const seen = new Map<string, number>();
    m.variants.forEach((v, i) => {
      const j = seen.get(v.id);
      if (j !== undefined) ctx.addIssue({ code: 'custom', path: ['variants', i, 'id'], message: `duplicate variant id (also variants[${j}])` });
      seen.set(v.id, i);
      if (!v.id.endsWith(`-s${v.seed}`)) ctx.addIssue({ code: 'custom', path: ['variants', i, 'id'], message: `must end in -s${v.seed} (its seed)` });
    });
  });
export type BatchManifest = z.infer<typeof BatchManifestSchema>;

/** The document's key order, for writing. */
export function manifestForYaml(m: BatchManifest): Record<string, unknown> {
  return {
    study: m.study,
    batch_id: m.batch_id,
    scenario_rev: m.scenario_rev,
    config_rev: m.config_rev,
    created_at: m.created_at,
    objective: m.objective,
    base_paths: m.base_paths,
    variants: m.variants.map((v) => ({ id: v.id, seed: v.seed, overrides: v.overrides })),
    ...(m.sweep !== undefined ? { sweep: m.sweep } : {}),
  };
}

/** A variant's arm: its overrides without the seed (variants of one arm differ only by seed). */
export function armKey(overrides: Record<string, unknown>): string {
  return JSON.stringify(Object.keys(overrides).sort().map((k) => [k, overrides[k]]));
}

export function armLabel(overrides: Record<string, unknown>): string {
  const keys = Object.keys(overrides).sort();
  return keys.length === 0 ? 'baseline' : keys.map((k) => `${k}=${String(overrides[k])}`).join(', ');
}
