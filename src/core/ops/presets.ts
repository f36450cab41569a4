/**
 * RunOps presets: the built-in `phase4b` (the harness's PRESETS table plus its wrapper's label) and
 * user presets from `.runr/runr.config.json` under `ops.presets`. The `ops` config section's schema
 * lives here (the config file itself keeps unknown sections loose).
 */
import * as z from 'zod';
import { REPORT_GENERATORS } from './types.js';

/** A report file name: one path component, nothing that escapes the reports directory. */
export const ReportFileNameSchema = z
  .string()
  .min(1)
  .refine((s) => !/[\\/\0]/.test(s) && s !== '.' && s !== '..', 'must be a file name (no path separators)');

export const OpsPresetSchema = z.strictObject({
  /** Run id (a glob, as in the harness). */
  run_id: z.string().min(1),
  seed: z.number().int().nullable().optional(),
  models: z.array(z.string().min(1)).nullable().optional(),
  min_valid: z.number().int().nonnegative().optional(),
  report: z.enum(REPORT_GENERATORS).optional(),
  title: z.string().optional(),
  subtitle: z.string().nullable().optional(),
  report_filename: ReportFileNameSchema.optional(),
  /** Used by `--recommend` ("Abort <label> direction …") and the stdout header. */
  label: z.string().min(1).optional(),
  /** Seconds. */
  poll: z.number().positive().optional(),
  timeout: z.number().nonnegative().optional(),
  strict_tmp: z.boolean().optional(),
});
export type OpsPreset = z.infer<typeof OpsPresetSchema>;

const PRESET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const OpsConfigSchema = z.strictObject({
  /** Default `--runtime-dir`, relative to the repository root. */
  runtime_dir: z.string().min(1).optional(),
  presets: z
    .record(z.string().regex(PRESET_NAME, 'preset names use letters, digits, ".", "_" and "-"'), OpsPresetSchema)
    .optional(),
});
export type OpsConfig = z.infer<typeof OpsConfigSchema>;

/** The harness's PRESETS["phase4b"], with the phase-4B wrapper's label. */
export const BUILTIN_PRESETS: Readonly<Record<string, OpsPreset>> = {
  phase4b: {
    run_id: 'autonomous_exec_v0_1_llm_phase4b',
    seed: 1337,
    models: ['tinyllama:latest', 'qwen2.5-coder:7b'],
    min_valid: 2,
    report: 'compaction-signal',
    title: 'Phase 4B Minimal Compaction Signal Report',
    subtitle: 'Absolute metrics from minimal live confirmation runs (2 models, seed 1337).',
    report_filename: 'phase4b_minimal_compaction_signal.report.md',
    label: 'Phase 4B',
  },
};

/** Built-in presets, overridden by user presets of the same name. */
export function allPresets(config: OpsConfig | undefined): Record<string, OpsPreset> {
  return { ...BUILTIN_PRESETS, ...(config?.presets ?? {}) };
}
