import type { CliContext } from '../../context.js';
import { emit } from '../../context.js';
import { optBool, optStr } from '../../options.js';
import { UserError } from '../../../core/errors.js';
import { completeRun } from '../../../workflows/gate-ops.js';
import { resolveRunOpt, storeFromOpts } from '../store-opts.js';

const FINAL = ['PASSED', 'FAILED', 'CANCELED'] as const;
type Final = (typeof FINAL)[number];

export async function runComplete(ctx: CliContext, opts: Record<string, unknown>): Promise<void> {
  const raw = optStr(opts, 'status');
  if (raw !== undefined && !(FINAL as readonly string[]).includes(raw)) throw new UserError(`--status: expected PASSED, FAILED or CANCELED, got ${JSON.stringify(raw)}`);
  const store = storeFromOpts(ctx, opts);
  const runId = resolveRunOpt(store, opts);
  const force = optBool(opts, 'force');
  let over: string[] = [];
  const run = await completeRun(store, runId, raw as Final | undefined, { force, onForced: (gates) => (over = gates.map((g) => g.gate)) });
  // Recording the outcome the user asked for is this command's success, whatever the outcome (exit 0).
  emit(ctx, { run_id: run.run_id, status: run.status, finished_at: run.finished_at, forced_over: over }, () => [
    `Run ${run.run_id} completed: ${run.status}`,
    ...(over.length > 0 ? [`forced over failed blocking gate${over.length > 1 ? 's' : ''} ${over.join(', ')} (recorded in the journal)`] : []),
  ]);
}
