import { ExitCode, OutcomeError, UserError } from '../../../core/errors.js';
import { validateRunIdArg } from '../../../core/ids.js';
import type { CliContext } from '../../context.js';
import { emit } from '../../context.js';
import { withQueue } from './common.js';
import type { QueueOnlyOptions } from './queue-options.js';

export async function cancelCommand(ctx: CliContext, runArg: string, opts: QueueOnlyOptions): Promise<void> {
  const runId = validateRunIdArg(runArg, 'run_id');
  const { cancelRun } = await import('../../../queue/cancel.js');
  const r = await withQueue(opts, (b) => cancelRun(b, runId));
  if (r.kind === 'missing') throw new UserError(`run not found in the queue: ${runId}`);
  emit(ctx, { run_id: runId, ...r }, () => {
    switch (r.kind) {
      case 'canceled_now':
        return `Canceled ${runId} (it had not started)`;
      case 'requested':
        return `Cancel of ${runId} sent to its worker${r.worker ? ` ${r.worker}` : ''}; it ends canceled once the run's processes are gone`;
      case 'already_terminal':
        return `Run ${runId} already ended: ${r.status}`;
    }
  });
  if (r.kind === 'already_terminal') throw new OutcomeError('', ExitCode.failed);
}
