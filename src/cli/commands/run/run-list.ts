import type { CliContext } from '../../context.js';
import { emit } from '../../context.js';
import { paint } from '../../style.js';
import { listSummaries } from '../../../store/run-summaries.js';
import { renderRunList } from './render-run.js';
import { storeFor } from '../store-opts.js';
import type { RunListOptions } from './run-options.js';

/** Newest first by `started_at`; records that do not load are reported on stderr, not fatal. */
export async function runList(ctx: CliContext, _opts: RunListOptions): Promise<void> {
  const store = storeFor(ctx);
  const { runs, problems } = listSummaries(store);
  // A task run whose process died still says RUNNING on disk until something resumes or inspects
  // it; show what it really is (display only: list never writes).
  if (runs.some((r) => r.kind === 'task' && r.status === 'RUNNING')) {
    const { runAlive } = await import('../../../tasks/run-lock.js');
    for (const r of runs) {
      if (r.kind === 'task' && r.status === 'RUNNING' && !runAlive(store, r.run_id)) {
        r.status = 'STOPPED';
        r.stop_reason = 'interrupted';
      }
    }
  }
  runs.sort((a, b) => (a.started_at < b.started_at ? 1 : a.started_at > b.started_at ? -1 : 0));
  for (const p of problems) ctx.err(`warning: skipped ${p.run_id}: ${p.message}`);
  emit(
    ctx,
    {
      runs_dir: store.display(store.runsDir),
      runs: runs.map((r) => ({
        run_id: r.run_id,
        kind: r.kind ?? 'workflow',
        workflow: r.workflow.name,
        slug: r.workflow.slug,
        status: r.status,
        ...(typeof r.stop_reason === 'string' ? { stop_reason: r.stop_reason } : {}),
        started_at: r.started_at,
        finished_at: r.finished_at,
        gates: r.gates.map((g) => ({ gate: g.gate, status: g.status, attempts: g.attempts.length })),
      })),
      skipped: problems,
    },
    () => renderRunList(runs, paint(ctx.color)),
  );
}
