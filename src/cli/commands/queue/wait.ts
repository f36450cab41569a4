import { ExitCode, OutcomeError, UserError } from '../../../core/errors.js';
import { validateRunIdArg } from '../../../core/ids.js';
import type { CliContext } from '../../context.js';
import { emit } from '../../context.js';
import { withQueue } from './common.js';
import type { QueueWaitOptions } from './queue-options.js';

/** Exit code = outcome: 0 succeeded, 3 stopped, 1 failed/canceled or still running at the timeout. */
export async function queueWaitCommand(ctx: CliContext, runArg: string, opts: QueueWaitOptions): Promise<void> {
  const runId = validateRunIdArg(runArg, 'run_id');
  const { timeout } = opts;
  const { waitForRun, viewOf } = await import('../../../queue/status.js');
  const { syncRecords } = await import('../../../queue/sync.js');
  const out = await withQueue(opts, async (b) => {
    const row = await waitForRun(b, runId, { signal: ctx.signal, timeoutMs: timeout === undefined ? null : timeout * 1000, pollMs: 500 });
    if (row === null) throw new UserError(`run not found in the queue: ${runId}`);
    const sync = opts.sync && row.outcome?.branch_sha ? await syncRecords(b, ctx.cwd, [runId]) : null;
    return { view: viewOf(row), synced: sync?.items[0]?.result ?? null };
  });
  emit(ctx, { ...out.view, synced: out.synced }, () => `${runId}: ${out.view.status}${out.view.stop_reason ? ` (${out.view.stop_reason})` : ''}${out.synced ? `; record ${out.synced}` : ''}`);
  const s = out.view.status;
  if (s === 'succeeded') return;
  throw new OutcomeError('', s === 'stopped' ? ExitCode.stopped : ExitCode.failed);
}
