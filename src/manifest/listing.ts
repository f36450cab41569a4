/**
 * Which runs `runr run list` and `runr status --all` show, decided from the manifest instead of
 * every record: newest first, narrowed by status, start time and a query (the `find` language),
 * cut to a limit. Only the runs that are shown are then read from their records. Without filters
 * only the last lines of the manifest are read (manifest/lookup.ts); with filters the manifest is
 * scanned once with the query's prefilter (as `runr find` does).
 *
 * The index lists the runs it knows: a run directory that is not in it (copied in by hand, or
 * created by a process killed before its first manifest write) is listed after `runr manifest
 * rebuild`. Without a manifest the callers list the runs directory, as before.
 */
import { UserError } from '../core/errors.js';
import type { ManifestEntry } from '../core/manifest/entry.js';
import { RUN_STATUSES } from '../core/schemas/run.js';
import { prepareFind, scanRuns } from './find.js';
import { lookupNewest } from './lookup.js';

export interface ListFilters {
  /** Recorded status (QUEUED, RUNNING, PASSED, FAILED, CANCELED, STOPPED). */
  status?: string | undefined;
  /** Runs that started at or after this date (`2026-01-31`, `2026-01-31T12:00`, ISO with zone). */
  since?: string | undefined;
  /** A query in the `find` language. */
  where?: string | undefined;
}

export interface IndexListing {
  /** Run ids, newest first, at most `limit`. */
  ids: string[];
  /** Runs that match the filters (before the limit). */
  matched: number;
  /** Runs in the index. */
  total: number;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** The query the filters stand for (null: no filter). Values are checked, never spliced in raw. */
export function filtersQuery(f: ListFilters): string | null {
  const parts: string[] = [];
  if (f.where !== undefined && f.where.trim() !== '') parts.push(`(${f.where})`);
  if (f.status !== undefined) {
    const s = f.status.toUpperCase();
    if (!(RUN_STATUSES as readonly string[]).includes(s)) throw new UserError(`--status: expected one of ${RUN_STATUSES.join(', ')}, got ${JSON.stringify(f.status)}`);
    parts.push(`status = '${s}'`);
  }
  if (f.since !== undefined) {
    if (!DATE_RE.test(f.since) || Number.isNaN(Date.parse(f.since.replace(' ', 'T')))) throw new UserError(`--since: expected a date such as 2026-01-31 or 2026-01-31T12:00, got ${JSON.stringify(f.since)}`);
    parts.push(`started_at >= '${f.since.replace(' ', 'T')}'`);
  }
  return parts.length === 0 ? null : parts.join(' and ');
}

/** A run of this store (not a dev-benchmark entry of another layout). */
function isStoreRun(e: ManifestEntry): boolean {
  return e.path === e.run_id && e.run_id.startsWith('run_');
}

function newestFirst(a: ManifestEntry, b: ManifestEntry): number {
  const sa = a.start_time ?? '';
  const sb = b.start_time ?? '';
  if (sa !== sb) return sa < sb ? 1 : -1;
  return a.run_id < b.run_id ? 1 : a.run_id > b.run_id ? -1 : 0;
}

/** The listing from the index, or null when there is no manifest (list the directory instead). */
export async function listFromIndex(runsDir: string, f: ListFilters, limit: number | null): Promise<IndexListing | null> {
  const query = filtersQuery(f);
  if (query === null && limit !== null) {
    const newest = lookupNewest(runsDir, limit);
    // Only the plain case: every one of the last lines is a run of this store.
    if (newest !== null && newest.ids.every((id) => id.startsWith('run_'))) return { ids: newest.ids, matched: newest.total, total: newest.total };
  }
  const p = prepareFind({ query });
  const r = await scanRuns(p, { runsDir });
  if (r.missing) return null;
  const runs = r.runs.filter(isStoreRun).sort(newestFirst);
  return { ids: (limit !== null ? runs.slice(0, limit) : runs).map((e) => e.run_id), matched: runs.length, total: r.total };
}
