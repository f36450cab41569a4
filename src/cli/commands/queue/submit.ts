import type { CliContext } from '../../context.js';
import { emit } from '../../context.js';
import { withQueue } from './common.js';
import type { SubmitOptions } from './queue-options.js';

export async function submitCommand(ctx: CliContext, opts: SubmitOptions): Promise<void> {
  const { submitRun } = await import('../../../queue/submit.js');
  const priority = opts.priority ?? null;
  const { maxTicks, time: timeMin, id: runId } = opts;
  const r = await withQueue(opts, (b) =>
    submitRun(b, {
      cwd: ctx.cwd,
      task: opts.task,
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
