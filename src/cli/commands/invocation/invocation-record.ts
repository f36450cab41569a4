import type { CliContext } from '../../context.js';
import { emit } from '../../context.js';
import { optInt, optStr, str } from '../../options.js';
import { UserError } from '../../../core/errors.js';
import { recordInvocation } from '../../../workflows/gate-ops.js';
import { resolveRunOpt, storeFromOpts } from '../store-opts.js';

export async function invocationRecord(ctx: CliContext, opts: Record<string, unknown>): Promise<void> {
  const status = optStr(opts, 'status') ?? 'SUCCESS';
  if (status !== 'SUCCESS' && status !== 'FAIL') throw new UserError(`--status: expected SUCCESS or FAIL, got ${JSON.stringify(status)}`);
  const store = storeFromOpts(ctx, opts);
  const runId = resolveRunOpt(store, opts);
  const { invocation } = await recordInvocation(store, runId, {
    gate: str(opts, 'gate', '--gate'),
    agent: str(opts, 'agent', '--agent'),
    status,
    model: optStr(opts, 'model') ?? 'unknown',
    durationMs: optInt(opts, 'durationMs', '--duration-ms') ?? 0,
  });
  emit(ctx, { run_id: runId, ...invocation }, () => `Invocation recorded: ${invocation.invocation_id} (${invocation.gate}, ${invocation.agent}, ${invocation.status})`);
}
