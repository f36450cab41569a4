import { UserError } from '../../../core/errors.js';
import type { CliContext } from '../../context.js';
import { emit } from '../../context.js';
import { queueUrl, withQueue } from './common.js';
import type { SubmitOptions } from './queue-options.js';

export async function submitCommand(ctx: CliContext, opts: SubmitOptions): Promise<void> {
  const { enqueuePrepared, prepareSubmit } = await import('../../../queue/submit.js');
  const priority = opts.priority ?? null;
  const { maxTicks, time: timeMin, id: runId } = opts;
  const { validateSlug } = await import('../../../core/ids.js');
  const { workflow, slug, artifactPath, task } = opts;
  if (workflow !== undefined && (slug === undefined || artifactPath === undefined)) throw new UserError('submit --workflow: --slug and --artifact-path are required');
  if (opts.batch.length > 0 && opts.batch.length !== 2) throw new UserError(`--batch: expected <study> <batch_id>, got ${opts.batch.length} value(s)`);
  const [study, batchId] = opts.batch;
  const spec = workflow !== undefined ? { arg: workflow, slug: validateSlug(slug ?? ''), artifact_path: artifactPath ?? '', depth: opts.depth, params: opts.param, tags: opts.tag, timeout_s: opts.gateTimeout } : undefined;
  queueUrl(opts); // a missing --queue is named before anything is read
  // Everything is read and checked before the server is contacted: bad input exits 2, never 1.
  const prepared = await prepareSubmit({
    cwd: ctx.cwd,
    ...(task !== undefined ? { task } : {}),
    ...(spec !== undefined ? { workflow: spec } : {}),
    ...(study !== undefined && batchId !== undefined ? { batch: { study, batch: batchId, ...(opts.studiesDir !== undefined ? { studiesDir: opts.studiesDir } : {}), ...(ctx.runsDir !== undefined ? { runsDir: ctx.runsDir } : {}) } } : {}),
    fast: opts.fast,
    allowDeps: opts.allowDeps,
    priority,
    env: process.env,
    ...(runId !== undefined ? { runId } : {}),
    ...(maxTicks !== undefined ? { maxTicks } : {}),
    ...(timeMin !== undefined && timeMin > 0 ? { timeMin } : {}),
  });
  const results = await withQueue(opts, (b) => enqueuePrepared(b, prepared, priority));
  const batch = prepared.batch;
  if (batch === null) {
    const r = results[0];
    if (r === undefined) throw new UserError('submit: nothing to queue');
    emit(ctx, r, () => (r.created ? `Queued run ${r.run_id}` : `Run ${r.run_id} was already submitted (nothing new queued)`));
    return;
  }
  const variants = batch.variants.map((v, i) => ({ variant_id: v.variant_id, run_id: v.run_id, created: results[i]?.created ?? false }));
  const created = variants.filter((v) => v.created).length;
  const out = { study: batch.study, batch_id: batch.batch_id, run_ids: variants.map((v) => v.run_id), status: 'queued' as const, created, variants, base_commit: prepared.base_commit };
  emit(ctx, out, () => [
    `${created > 0 ? `Queued ${created} of ${variants.length} variant run(s)` : `All ${variants.length} variant run(s) were already submitted (nothing new queued)`} of ${batch.study} ${batch.batch_id}`,
    ...variants.map((v) => `  ${v.variant_id}  ${v.run_id}${v.created ? '' : ' (already submitted)'}`),
  ]);
}
