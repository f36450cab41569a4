import type { CliContext } from '../../context.js';
import { emit } from '../../context.js';
import { optBool, optInt, optNumber, optStr, str } from '../../options.js';
import { withQueue } from './common.js';

export async function submitCommand(ctx: CliContext, opts: Record<string, unknown>): Promise<void> {
  const { submitRun } = await import('../../../queue/submit.js');
  const priority = optInt(opts, 'priority', '--priority', 1) ?? null;
  const maxTicks = optInt(opts, 'maxTicks', '--max-ticks', 1);
  const timeMin = optNumber(opts, 'time', '--time', 0);
  const runId = optStr(opts, 'id');
  const r = await withQueue(opts, (b) =>
    submitRun(b, {
      cwd: ctx.cwd,
      task: str(opts, 'task', '--task'),
      fast: optBool(opts, 'fast'),
      allowDeps: optBool(opts, 'allowDeps'),
      priority,
      ...(runId !== undefined ? { runId } : {}),
      ...(maxTicks !== undefined ? { maxTicks } : {}),
      ...(timeMin !== undefined && timeMin > 0 ? { timeMin } : {}),
    }),
  );
  emit(ctx, r, () => (r.created ? `Queued run ${r.run_id}` : `Run ${r.run_id} was already submitted (nothing new queued)`));
}
