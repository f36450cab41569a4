/**
 * The runs a listing shows, newest first: from the manifest (manifest/listing.ts), or, in a runs
 * directory without one, from every record (filters applied to their manifest entries).
 */
import { InternalError } from '../../../core/errors.js';
import { entryFromRecord } from '../../../core/manifest/entry.js';
import type { ListFilters } from '../../../manifest/listing.js';
import type { RunStore } from '../../../store/run-store.js';
import { summaryOf } from '../../../store/run-summaries.js';

export interface Selection {
  ids: string[];
  matched: number;
  total: number;
  /** Records that did not load while selecting (only without a manifest). */
  problems: Array<{ run_id: string; message: string }>;
}

export async function selectRuns(store: RunStore, filters: ListFilters, limit: number | null): Promise<Selection> {
  const { filtersQuery, listFromIndex } = await import('../../../manifest/listing.js');
  const query = filtersQuery(filters);
  const listing = await listFromIndex(store.runsDir, filters, limit);
  if (listing !== null) return { ...listing, problems: [] };
  const { prepareFind } = await import('../../../manifest/find.js');
  const { matches } = prepareFind({ query }).filters;
  const problems: Selection['problems'] = [];
  const kept: Array<{ id: string; start: string }> = [];
  const ids = store.listIds();
  for (const id of ids) {
    try {
      if (query === null) {
        kept.push({ id, start: summaryOf(store, id).started_at });
        continue;
      }
      const run = store.load(id).run;
      if (matches(entryFromRecord(run))) kept.push({ id, start: run.started_at });
    } catch (err) {
      if (err instanceof InternalError || !(err instanceof Error)) throw err;
      problems.push({ run_id: id, message: err.message });
    }
  }
  kept.sort((a, b) => (a.start < b.start ? 1 : a.start > b.start ? -1 : a.id < b.id ? 1 : -1));
  const cut = limit !== null ? kept.slice(0, limit) : kept;
  return { ids: cut.map((k) => k.id), matched: kept.length, total: ids.length, problems };
}
