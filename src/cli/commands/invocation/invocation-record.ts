import type { CliContext } from '../../context.js';
import { emit } from '../../context.js';
import { recordInvocation } from '../../../workflows/gate-ops.js';
import { resolveRunArg, storeFor } from '../store-opts.js';
import type { InvocationRecordOptions } from './invocation-options.js';

export async function invocationRecord(ctx: CliContext, opts: InvocationRecordOptions): Promise<void> {
  const store = storeFor(ctx);
  const runId = resolveRunArg(store, opts.run);
  const { invocation } = await recordInvocation(store, runId, {
    gate: opts.gate,
    agent: opts.agent,
    status: opts.status,
    model: opts.model ?? 'unknown',
    durationMs: opts.durationMs ?? 0,
  });
  emit(ctx, { run_id: runId, ...invocation }, () => `Invocation recorded: ${invocation.invocation_id} (${invocation.gate}, ${invocation.agent}, ${invocation.status})`);
}
