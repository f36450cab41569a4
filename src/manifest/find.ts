/**
 * findRuns: filter, order and limit the manifest's entries.
 *
 * In a library process the manifest is parsed once and cached (see io.ts), so repeated queries
 * cost only the compiled closure over the entries. `scanRuns` is the one-shot path of `runr find`:
 * it parses only the lines that pass the query's prefilter.
 */
import { UserError } from '../core/errors.js';
import type { ManifestEntry } from '../core/manifest/entry.js';
import type { CompiledFilters, FindFilters } from '../core/manifest/filters.js';
import { compileFilters } from '../core/manifest/filters.js';
import type { Manifest } from '../core/manifest/manifest.js';
import type { OrderKey } from '../core/query/order-by.js';
import { parseOrderBy, sortEntries } from '../core/query/order-by.js';
import { getManifestResolved, recoverCorrupt } from './get.js';
import { readManifestText } from './io.js';
import type { ManifestOptions } from './options.js';
import { resolveOptions } from './options.js';
import { scanManifestText } from './parse.js';
import { manifestFile } from './paths.js';

export interface FindRunsOptions extends FindFilters {
  /** `field [asc|desc], …`; default: run id (the manifest's order). */
  orderBy?: string | null;
  /** At most this many runs (after ordering). */
  limit?: number | null;
}

export interface FindSource extends ManifestOptions {
  /** Query this manifest instead of reading the runs directory's. */
  manifest?: Manifest;
}

export interface PreparedFind {
  filters: CompiledFilters;
  order: OrderKey[];
  limit: number | null;
}

/** Compile filters, order and limit (throws a positioned error for a bad query or order). */
export function prepareFind(f: FindRunsOptions): PreparedFind {
  const limit = f.limit ?? null;
  if (limit !== null && (!Number.isInteger(limit) || limit < 0)) throw new UserError(`--limit: expected a whole number ≥ 0, got ${String(limit)}`);
  const min = f.minTokens ?? null;
  if (min !== null && (typeof min !== 'number' || !Number.isFinite(min))) throw new UserError(`--min-tokens: expected a number, got ${String(min)}`);
  return {
    filters: compileFilters(f),
    order: f.orderBy !== undefined && f.orderBy !== null && f.orderBy.trim() !== '' ? parseOrderBy(f.orderBy) : [],
    limit,
  };
}

export function selectRuns(entries: readonly ManifestEntry[], p: PreparedFind): ManifestEntry[] {
  const matched = entries.filter(p.filters.matches);
  const ordered = p.order.length > 0 ? sortEntries(matched, p.order) : matched;
  return p.limit !== null && ordered.length > p.limit ? ordered.slice(0, p.limit) : ordered;
}

export async function findRuns(filters: FindRunsOptions = {}, opts: FindSource = {}): Promise<ManifestEntry[]> {
  const p = prepareFind(filters);
  const manifest = opts.manifest ?? (await getManifestResolved(await resolveOptions(opts)));
  return selectRuns(manifest.runs, p);
}

/** One-shot query straight from the file (for the CLI). `total` is the number of runs in the manifest. */
export async function scanRuns(p: PreparedFind, opts: ManifestOptions = {}): Promise<{ runs: ManifestEntry[]; total: number; file: string; missing: boolean }> {
  const o = await resolveOptions(opts);
  const file = manifestFile(o.runsDir);
  const text = readManifestText(file);
  if (text === null) return { runs: [], total: 0, file, missing: true };
  const scan = scanManifestText(text, p.filters.prefilter);
  if (scan.ok) return { runs: selectRuns(scan.candidates, p), total: scan.total, file, missing: false };
  const m = await recoverCorrupt(o);
  return { runs: selectRuns(m.runs, p), total: m.runs.length, file, missing: false };
}
