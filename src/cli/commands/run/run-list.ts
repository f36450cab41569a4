import type { CliContext } from '../../context.js';
import { stdoutSink } from '../../context.js';
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
import { streamListing } from './stream-listing.js';
import { listViewSource } from './list-views.js';

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
  // A task run whose process died still says RUNNING on disk until something resumes or inspects
  // it; show what it really is (display only: list never writes).
  const { runAlive } = await import('../../../tasks/run-lock.js');
  const shown = (r: RunSummary): RunSummary => (r.kind === 'task' && r.status === 'RUNNING' && !runAlive(store, r.run_id) ? { ...r, status: 'STOPPED', stop_reason: 'interrupted' } : r);
  if (ctx.json) {
    const stream = new JsonArrayStream(stdoutSink(), 'runs', { runs_dir: store.display(store.runsDir) });
    const r = await streamListing(store, listFilters(opts), listLimit(opts.limit, true), listViewSource(store, shown), stream);
    stream.end({ skipped: r.problems, matched: r.matched, total_runs: r.total });
    return;
  }
  const selection = await selectRuns(store, listFilters(opts), listLimit(opts.limit, false));
  const problems: Problem[] = [...selection.problems];
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
