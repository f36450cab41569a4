import { UserError } from '../../../core/errors.js';
import type { CliContext } from '../../context.js';
import { emit } from '../../context.js';
import { withQueue } from './common.js';
import type { SubmitOptions } from './queue-options.js';

export async function submitCommand(ctx: CliContext, opts: SubmitOptions): Promise<void> {
  const { submitRun } = await import('../../../queue/submit.js');
  const priority = opts.priority ?? null;
  const { maxTicks, time: timeMin, id: runId } = opts;
  const { validateSlug } = await import('../../../core/ids.js');
  const { workflow, slug, artifactPath, task } = opts;
  if (workflow !== undefined && (slug === undefined || artifactPath === undefined)) throw new UserError('submit --workflow: --slug and --artifact-path are required');
  const spec = workflow !== undefined ? { arg: workflow, slug: validateSlug(slug ?? ''), artifact_path: artifactPath ?? '', depth: opts.depth, params: opts.param, tags: opts.tag, timeout_s: opts.gateTimeout } : undefined;
  const r = await withQueue(opts, (b) =>
    submitRun(b, {
      cwd: ctx.cwd,
      ...(task !== undefined ? { task } : {}),
      ...(spec !== undefined ? { workflow: spec } : {}),
      fast: opts.fast,
      allowDeps: opts.allowDeps,
      priority,
      ...(runId !== undefined ? { runId } : {}),
      ...(maxTicks !== undefined ? { maxTicks } : {}),
      ...(timeMin !== undefined && timeMin > 0 ? { timeMin } : {}),
    }),
  );
  emit(ctx, r, () => (r.created ? `Queued run ${r.run_id}` : `Run ${r.run_id} was already submitted (nothing new queued)`));
}
