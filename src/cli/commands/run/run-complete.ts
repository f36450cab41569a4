import type { CliContext } from '../../context.js';
import { emit } from '../../context.js';
import { ExitCode, OutcomeError } from '../../../core/errors.js';
import { completeRun } from '../../../workflows/gate-ops.js';
import { resolveRunArg, storeFor } from '../store-opts.js';
import type { RunCompleteOptions } from './run-options.js';

export async function runComplete(ctx: CliContext, opts: RunCompleteOptions): Promise<void> {
  const store = storeFor(ctx);
  const runId = resolveRunArg(store, opts.run);
  const run = await completeRun(store, runId, opts.status);
  emit(ctx, { run_id: run.run_id, status: run.status, finished_at: run.finished_at }, () => `Run ${run.run_id} completed: ${run.status}`);
  if (run.status === 'FAILED') throw new OutcomeError('', ExitCode.failed);
}
