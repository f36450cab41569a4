/**
 * One attempt of a queued batch variant, in the worker's clone: the variant's stage pipeline runs
 * exactly as `runr batch run <study> <batch_id> --variant <id>` runs it on one machine (the same
 * checks, stages, journal and registry row), with the run id the submit chose. A variant run has
 * no worktree and no checkpoints: an attempt that takes over runs the variant again in a clean clone.
 */
import type { VariantJobSpec } from '../core/queue/payload.js';
import { storeFor } from '../store/open-store.js';
import { runBatch } from '../studies/batch-run.js';
import { openStudies } from '../studies/layout.js';

export interface VariantAttemptResult {
  run_dir: string;
  /** `complete` when the variant succeeded (or had nothing to do); else its outcome. */
  reason: 'complete' | 'variant_failed' | 'escalated' | 'interrupted';
  detail: string | null;
}

export async function execVariantRun(o: { cwd: string; runId: string; spec: VariantJobSpec; signal: AbortSignal; env: NodeJS.ProcessEnv; onStarted: (s: { run_dir: string }) => void }): Promise<VariantAttemptResult> {
  const root = openStudies(o.cwd, { studiesDir: o.spec.studies_dir });
  const store = storeFor(root.project);
  o.onStarted({ run_dir: store.runDir(o.runId) });
  const r = await runBatch(root, store, {
    study: o.spec.study,
    batch: o.spec.batch_id,
    variants: [o.spec.variant_id],
    jobs: 1,
    dryRun: false,
    pipeline: undefined,
    note: null,
    cwd: o.cwd,
    signal: o.signal,
    now: () => new Date(),
    env: o.env,
    runIds: { [o.spec.variant_id]: o.runId },
  });
  const v = r.variants[0];
  if (v === undefined) throw new Error(`internal: batch run of ${o.spec.variant_id} returned no variant`);
  if (v.run_id !== o.runId) throw new Error(`variant ${o.spec.variant_id} ran as ${v.run_id ?? 'no run'}, not ${o.runId} (the base commit has a run for it already)`);
  const reason = v.outcome === 'success' || v.outcome === 'up_to_date' ? 'complete' : v.outcome === 'escalated' ? 'escalated' : v.outcome === 'canceled' ? 'interrupted' : 'variant_failed';
  return { run_dir: store.runDir(o.runId), reason, detail: v.notes };
}
