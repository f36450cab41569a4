/**
 * `findRuns` filters: the original's AND filters (framework, verification status, minimum tokens
 * in + out, missing counts as 0) plus an optional query. As in the original, an empty framework
 * or status and a minimum of 0 mean "no filter" (only in this compatibility API: in a query,
 * `framework = ''` means what it says).
 */
import type { CompiledQuery } from '../query/compile.js';
import { compileQuery } from '../query/compile.js';
import type { LinePrefilter, Prefilters } from '../query/prefilter.js';
import type { ManifestEntry } from './entry.js';

export interface FindFilters {
  framework?: string | null;
  verificationStatus?: string | null;
  minTokens?: number | null;
  /** A query in runr's query language, ANDed with the filters above. */
  query?: string | null;
}

export interface CompiledFilters {
  matches: (e: ManifestEntry) => boolean;
  prefilter: Prefilters;
  query: CompiledQuery | null;
}

export function compileFilters(f: FindFilters): CompiledFilters {
  const tests: Array<(e: ManifestEntry) => boolean> = [];
  const tokens: string[] = [];
  const framework = f.framework ?? '';
  if (framework !== '') {
    tests.push((e) => e.framework === framework);
    tokens.push(JSON.stringify(framework));
  }
  const status = f.verificationStatus ?? '';
  if (status !== '') {
    tests.push((e) => e.verification_status === status);
    tokens.push(JSON.stringify(status));
  }
  const min = f.minTokens ?? 0;
  if (min > 0) tests.push((e) => (e.total_tokens_in ?? 0) + (e.total_tokens_out ?? 0) >= min);
  const query = f.query !== undefined && f.query !== null && f.query.trim() !== '' ? compileQuery(f.query) : null;
  if (query !== null) tests.push(query.matches);
  const qpre = query?.prefilter;
  // Framework and status values are top-level strings: see prefilter.ts for why this is sound.
  const plain: LinePrefilter =
    tokens.length === 0 && qpre === undefined ? () => true : (line) => tokens.every((t) => line.includes(t)) && (qpre === undefined || qpre.plain(line));
  const prefilter: Prefilters = { plain, guarded: (line) => line.includes('\\') || plain(line) };
  const [only] = tests;
  const matches = tests.length === 0 ? () => true : tests.length === 1 && only !== undefined ? only : (e: ManifestEntry) => tests.every((t) => t(e));
  return { matches, prefilter, query };
}
