/** The job a submit enqueues (job id = run id), validated wherever it crosses a process. */
import * as z from 'zod';

const common = {
  v: z.literal(1),
  run_id: z.string().min(1),
  /** The commit the run starts from; it must be on the shared remote. */
  base_commit: z.string().regex(/^[0-9a-f]{40}$/),
  submitted_by: z.string(),
};

/** `runr submit --task`: an agent task run (in its own worktree, with checkpoints). */
export const TaskJobSchema = z.object({
  ...common,
  kind: z.literal('task'),
  task: z.object({ file: z.string().min(1), text: z.string() }),
  fast: z.boolean(),
  allow_deps: z.boolean(),
  max_ticks: z.number().int().positive().nullable(),
  time_min: z.number().positive().nullable(),
});

/** `runr submit --workflow`: a workflow run in CI mode (`runr run <workflow>`), in the clone itself. */
export const WorkflowJobSpecSchema = z.object({
  /** A workflow name (in .runr/workflows) or a repository-relative file path. */
  arg: z.string().min(1),
  slug: z.string().min(1),
  artifact_path: z.string().min(1),
  depth: z.string(),
  params: z.record(z.string(), z.string()),
  tags: z.record(z.string(), z.string()),
  /** How long a manual gate waits for its outputs (CI mode's --timeout). */
  timeout_s: z.number().nonnegative(),
});
export type WorkflowJobSpec = z.infer<typeof WorkflowJobSpecSchema>;
export const WorkflowJobSchema = z.object({ ...common, kind: z.literal('workflow'), workflow: WorkflowJobSpecSchema });

/**
 * `runr submit --batch <study> <batch_id>`: one variant of a study batch (one job per variant). A
 * worker runs that variant's stage pipeline in its clone, as `runr batch run <study> <batch_id>
 * --variant <id>` does, with the run id the submit chose.
 */
export const VariantJobSpecSchema = z.object({
  /** The studies directory, repository-relative (`runs`, or `studies_dir`). */
  studies_dir: z.string().min(1),
  study: z.string().min(1),
  batch_id: z.string().min(1),
  variant_id: z.string().min(1),
});
export type VariantJobSpec = z.infer<typeof VariantJobSpecSchema>;
export const VariantJobSchema = z.object({ ...common, kind: z.literal('variant'), variant: VariantJobSpecSchema });

/** Where a variant's files are in the repository (the studies layout), forward slashes. */
export function variantPaths(v: VariantJobSpec): { variant_dir: string; registry_csv: string } {
  const study = `${v.studies_dir}/${v.study}`;
  return { variant_dir: `${study}/batches/${v.batch_id}/variants/${v.variant_id}`, registry_csv: `${study}/registry/runs.csv` };
}

export const JobPayloadSchema = z.discriminatedUnion('kind', [TaskJobSchema, WorkflowJobSchema, VariantJobSchema]);
export type JobPayload = z.infer<typeof JobPayloadSchema>;

/** What a worker reports as the outcome of an attempt. */
export const OutcomeSchema = z.object({
  status: z.enum(['succeeded', 'stopped', 'failed', 'canceled']),
  stop_reason: z.string().nullable(),
  detail: z.string().nullable(),
  exit_code: z.number().int().nullable(),
  /** Tip of `runr/<run_id>` on the shared remote after the record was pushed. */
  branch_sha: z.string().nullable(),
});
export type Outcome = z.infer<typeof OutcomeSchema>;
