import type { CliContext } from '../../context.js';
import { paint } from '../../style.js';
import { JsonArrayStream } from '../../json-stream.js';
import { InternalError } from '../../../core/errors.js';
import type { RunSummary } from '../../../store/run-summaries.js';
import { summaryOf } from '../../../store/run-summaries.js';
import type { RunStore } from '../../../store/run-store.js';
import { renderRunList } from './render-run.js';
import { storeFor } from '../store-opts.js';
import type { RunListOptions } from './run-options.js';
import { listFilters, listLimit, moreLine } from '../list-filters.js';
import { selectRuns } from './select-runs.js';

type Problem = { run_id: string; message: string };

/** The summary of each id, in order; records that do not load become problems. */
function* summaries(store: RunStore, ids: readonly string[], problems: Problem[]): Generator<RunSummary> {
  for (const id of ids) {
    try {
      yield summaryOf(store, id);
    } catch (err) {
      if (err instanceof InternalError || !(err instanceof Error)) throw err;
      problems.push({ run_id: id, message: err.message });
    }
  }
}

/**
 * Newest first, chosen from the manifest (filters, limit: list-filters.ts), then each shown run read
 * from its record and printed as it is read. Records that do not load are reported, not fatal.
 */
export async function runList(ctx: CliContext, opts: RunListOptions): Promise<void> {
  const store = storeFor(ctx);
  const selection = await selectRuns(store, listFilters(opts), listLimit(opts.limit, ctx.json));
  const problems: Problem[] = [...selection.problems];
  // A task run whose process died still says RUNNING on disk until something resumes or inspects
  // it; show what it really is (display only: list never writes).
  const { runAlive } = await import('../../../tasks/run-lock.js');
  const shown = (r: RunSummary): RunSummary => (r.kind === 'task' && r.status === 'RUNNING' && !runAlive(store, r.run_id) ? { ...r, status: 'STOPPED', stop_reason: 'interrupted' } : r);
  if (ctx.json) {
    const stream = new JsonArrayStream(ctx.out, 'runs', { runs_dir: store.display(store.runsDir) });
    for (const s of summaries(store, selection.ids, problems)) {
      const r = shown(s);
      stream.push({
        run_id: r.run_id,
        kind: r.kind ?? 'workflow',
        workflow: r.workflow.name,
        slug: r.workflow.slug,
        status: r.status,
        ...(typeof r.stop_reason === 'string' ? { stop_reason: r.stop_reason } : {}),
        started_at: r.started_at,
        finished_at: r.finished_at,
        gates: r.gates.map((g) => ({ gate: g.gate, status: g.status, attempts: g.attempts.length })),
      });
    }
    stream.end({ skipped: problems, matched: selection.matched, total_runs: selection.total });
    return;
  }
  const p = paint(ctx.color);
  let n = 0;
  for (const s of summaries(store, selection.ids, problems)) {
    const lines = renderRunList([shown(s)], p);
    ctx.out((n === 0 ? lines : lines.slice(1)).join('\n'));
    n++;
  }
  if (n === 0) ctx.out(renderRunList([], p).join('\n'));
  const more = moreLine(selection.ids.length, selection.matched);
  if (more !== null) ctx.out(p.dim(more));
  for (const pr of problems) ctx.err(`warning: skipped ${pr.run_id}: ${pr.message}`);
}
