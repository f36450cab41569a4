import type { CliContext } from '../../context.js';
import { emit } from '../../context.js';
import { completeRun } from '../../../workflows/gate-ops.js';
import { resolveRunArg, storeFor } from '../store-opts.js';
import type { RunCompleteOptions } from './run-options.js';

export async function runComplete(ctx: CliContext, opts: RunCompleteOptions): Promise<void> {
  const store = storeFor(ctx);
  const runId = resolveRunArg(store, opts.run);
  let over: string[] = [];
  const run = await completeRun(store, runId, opts.status, { force: opts.force, onForced: (gates) => (over = gates.map((g) => g.gate)) });
  // Recording the outcome the user asked for is this command's success, whatever the outcome (exit 0).
  emit(ctx, { run_id: run.run_id, status: run.status, finished_at: run.finished_at, forced_over: over }, () => [
    `Run ${run.run_id} completed: ${run.status}`,
    ...(over.length > 0 ? [`forced over failed blocking gate${over.length > 1 ? 's' : ''} ${over.join(', ')} (recorded in the journal)`] : []),
  ]);
}
