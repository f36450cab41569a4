import type { ManifestEntry } from '../../src/core/manifest/entry.js';
import { compileQuery } from '../../src/core/query/compile.js';

export function anEntry(over: Partial<ManifestEntry> = {}): ManifestEntry {
  return {
    run_id: 'run_20260119T222303959Z_demo_abc123',
    framework: 'runr',
    path: 'run_20260119T222303959Z_demo_abc123',
    start_time: '2026-01-19T22:23:03.960Z',
    end_time: '2026-01-19T22:33:03.960Z',
    verification_status: 'verified',
    total_tokens_in: 1000,
    total_tokens_out: 200,
    kind: 'workflow',
    workflow: 'visual-essay',
    status: 'PASSED',
    stop_reason: null,
    params: {},
    metrics: {},
    tags: {},
    ...over,
  };
}

/** Does the query match the entry? */
export function q(query: string, e: ManifestEntry): boolean {
  return compileQuery(query).matches(e);
}

/** Which of the entries (by index) match. */
export function which(query: string, entries: ManifestEntry[]): number[] {
  const c = compileQuery(query);
  return entries.flatMap((e, i) => (c.matches(e) ? [i] : []));
}
