import type { CliContext } from '../../context.js';
import { emit } from '../../context.js';
import { optStr } from '../../options.js';
import { ExitCode, OutcomeError, UserError } from '../../../core/errors.js';
import { completeRun } from '../../../workflows/gate-ops.js';
import { resolveRunOpt, storeFromOpts } from '../store-opts.js';

const FINAL = ['PASSED', 'FAILED', 'CANCELED'] as const;
type Final = (typeof FINAL)[number];

export async function runComplete(ctx: CliContext, opts: Record<string, unknown>): Promise<void> {
  const raw = optStr(opts, 'status');
  if (raw !== undefined && !(FINAL as readonly string[]).includes(raw)) throw new UserError(`--status: expected PASSED, FAILED or CANCELED, got ${JSON.stringify(raw)}`);
  const store = storeFromOpts(ctx, opts);
  const runId = resolveRunOpt(store, opts);
  const run = await completeRun(store, runId, raw as Final | undefined);
  emit(ctx, { run_id: run.run_id, status: run.status, finished_at: run.finished_at }, () => `Run ${run.run_id} completed: ${run.status}`);
  if (run.status === 'FAILED') throw new OutcomeError('', ExitCode.failed);
}
