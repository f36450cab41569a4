/**
 * The JSON listings of `runr run list` and `runr status --all`: every run (no filter, no limit) is
 * served from the view cache beside the manifest (manifest/views/stream.ts), a selection from the
 * manifest reads the cache where it is fresh; items are printed as they come.
 */
import type { ListFilters } from '../../../manifest/listing.js';
import type { Rendered, ViewItem, ViewSource } from '../../../manifest/views/stream.js';
import { InternalError } from '../../../core/errors.js';
import type { RunStore } from '../../../store/run-store.js';
import type { JsonArrayStream } from '../../json-stream.js';
import { selectRuns } from './select-runs.js';

type Problem = { run_id: string; message: string };

/** A render step for a view source: a record that does not load is a problem, not a failure. */
export async function rendered(fn: () => Promise<{ text: string; cacheable: boolean }>): Promise<Rendered> {
  try {
    return { ok: true, ...(await fn()) };
  } catch (err) {
    if (err instanceof InternalError || !(err instanceof Error)) throw err;
    return { ok: false, message: err.message };
  }
}

export async function streamListing(store: RunStore, filters: ListFilters, limit: number | null, source: ViewSource, stream: JsonArrayStream): Promise<{ matched: number; total: number; problems: Problem[] }> {
  const { filtersQuery } = await import('../../../manifest/listing.js');
  const { streamAllViews, streamViews } = await import('../../../manifest/views/stream.js');
  const problems: Problem[] = [];
  const emit = (item: ViewItem): Promise<void> | undefined => {
    if (item.kind === 'bytes') {
      stream.pushBytes(item.bytes);
      return stream.waitDrain() ?? undefined;
    }
    problems.push({ run_id: item.run_id, message: item.message });
    return undefined;
  };
  if (limit === null && filtersQuery(filters) === null) {
    const all = await streamAllViews(store.runsDir, source, emit);
    if (all !== null) return { ...all, problems };
  }
  const selection = await selectRuns(store, filters, limit);
  problems.push(...selection.problems);
  await streamViews(store.runsDir, source, selection.ids, emit);
  return { matched: selection.matched, total: selection.total, problems };
}
