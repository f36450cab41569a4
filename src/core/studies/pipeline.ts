/**
 * The stage pipeline file (`pipeline.yaml` in the study, or `--pipeline <file>`), shaped like
 * `dvc.yaml`: named stages in file order, each with a command, the paths it reads (`deps`) and
 * writes (`outs`), the override names it reads (`params`), whether it gets `--seed`, optional
 * `needs`, gate `checks` (PASS/WARN/FAIL) and `metrics` read from its outputs.
 *
 *   params: {threshold: 3, chunk_size: 50}     # defaults; a variant's overrides replace them
 *   stages:
 *     sample:
 *       cmd: [extropy, sample, "{base.population_spec}", -o, "{inputs}/agents.json"]
 *       deps: ["{base.population_spec}"]
 *       outs: ["{inputs}/agents.json"]
 *       seed: true
 *       checks: [{type: json_valid, target: "{inputs}/agents.json", severity: fail}]
 */
import * as z from 'zod';
import { AXIS_RE } from './ids.js';

export const STAGE_NAME_RE = /^[a-z][a-z0-9_-]{0,39}$/;
export const METRIC_NAME_RE = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

export const ScalarSchema = z.union([z.string(), z.number(), z.boolean()]);

export const CheckSeveritySchema = z.enum(['fail', 'warn']);
export type CheckSeverity = z.infer<typeof CheckSeveritySchema>;

/** A check as written: a gate validation (see src/core/schemas/contract.ts) with `severity: fail|warn`. */
export const RawCheckSchema = z.looseObject({ type: z.string().min(1), severity: CheckSeveritySchema.optional() });

export const MetricSpecSchema = z.strictObject({
  /** Path template of a JSON file among the stage's outputs. */
  file: z.string().min(1),
  /** Dot path inside it (`outcome.adoption_rate`, `segments.0.share`). */
  key: z.string().min(1),
  /** Which direction is an improvement in comparisons (default higher). */
  better: z.enum(['higher', 'lower']).optional(),
});
export type MetricSpec = z.infer<typeof MetricSpecSchema>;

export const StageSchema = z.strictObject({
  description: z.string().optional(),
  /** An argv array (each element a template); a string runs through the shell exactly as written. */
  cmd: z.union([z.array(z.string().min(1)).min(1), z.string().min(1)]),
  deps: z.array(z.string().min(1)).default([]),
  outs: z.array(z.string().min(1)).default([]),
  params: z.array(z.string().regex(AXIS_RE, 'expected a param name')).default([]),
  seed: z.boolean().default(false),
  needs: z.array(z.string().regex(STAGE_NAME_RE, 'expected a stage name')).optional(),
  checks: z.array(RawCheckSchema).default([]),
  metrics: z.record(z.string().regex(METRIC_NAME_RE, 'expected a metric name'), MetricSpecSchema).default({}),
  /** Capture the command's standard output into this file (for commands that print their result). */
  stdout: z.string().min(1).optional(),
  timeout_s: z.number().positive().optional(),
});
export type Stage = z.infer<typeof StageSchema>;

export const PipelineSchema = z.strictObject({
  schema_version: z.literal(1).optional(),
  params: z.record(z.string().regex(AXIS_RE, 'expected a param name'), ScalarSchema).default({}),
  stages: z.record(z.string().regex(STAGE_NAME_RE, 'expected a stage name (lowercase letters, digits, _ and -)'), StageSchema).refine((s) => Object.keys(s).length > 0, 'at least one stage is needed'),
});
export type Pipeline = z.infer<typeof PipelineSchema>;

/** Variables every template may use, besides the params and `base.<key>`. */
export const BUILTIN_VARS = ['study', 'batch', 'variant', 'seed', 'studies', 'study_dir', 'specs', 'batch_dir', 'variant_dir', 'inputs', 'results'] as const;

export interface VarsInput {
  /** Repository-relative directory of the studies (`runs`). */
  studiesRel: string;
  study: string;
  batch: string;
  variant: string;
  seed: number;
  params: Record<string, string | number | boolean>;
  basePaths: Record<string, string>;
}

export function studyDirRel(studiesRel: string, study: string): string {
  return studiesRel === '.' ? study : `${studiesRel}/${study}`;
}

/** Template variables of one variant (all values are repository-relative paths or plain text). */
export function templateVars(v: VarsInput): Record<string, string> {
  const studyDir = studyDirRel(v.studiesRel, v.study);
  const batchDir = `${studyDir}/batches/${v.batch}`;
  const variantDir = `${batchDir}/variants/${v.variant}`;
  const vars: Record<string, string> = {};
  for (const [k, val] of Object.entries(v.params)) vars[k] = String(val);
  for (const [k, p] of Object.entries(v.basePaths)) vars[`base.${k}`] = p;
  Object.assign(vars, {
    study: v.study,
    batch: v.batch,
    variant: v.variant,
    seed: String(v.seed),
    studies: v.studiesRel,
    study_dir: studyDir,
    specs: `${studyDir}/specs`,
    batch_dir: batchDir,
    variant_dir: variantDir,
    inputs: `${variantDir}/inputs`,
    results: `${variantDir}/results`,
  });
  return vars;
}

/** The params of a variant: pipeline defaults replaced by its overrides. */
export function effectiveParams(pipeline: Pipeline, overrides: Record<string, string | number | boolean>): Record<string, string | number | boolean> {
  return { ...pipeline.params, ...overrides };
}
