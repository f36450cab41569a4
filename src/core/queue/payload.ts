/** The job a submit enqueues (job id = run id), validated wherever it crosses a process. */
import * as z from 'zod';

export const JobPayloadSchema = z.object({
  v: z.literal(1),
  run_id: z.string().min(1),
  kind: z.literal('task'),
  task: z.object({ file: z.string().min(1), text: z.string() }),
  fast: z.boolean(),
  allow_deps: z.boolean(),
  /** The commit the run starts from; it must be on the shared remote. */
  base_commit: z.string().regex(/^[0-9a-f]{40}$/),
  max_ticks: z.number().int().positive().nullable(),
  time_min: z.number().positive().nullable(),
  submitted_by: z.string(),
});
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
