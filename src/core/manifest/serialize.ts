/**
 * The manifest's text form: the header as in the original (indent 2), then one entry per line in
 * run-id order, so `git diff` shows one line per changed run:
 *
 *   {
 *     "version": "1.0",
 *     "last_updated": "2026-01-21T02:43:05.195Z",
 *     "total_runs": 2,
 *     "frameworks": {"runr":2},
 *     "runs": [
 *       {"run_id":"run_…","framework":"runr",…},
 *       {"run_id":"run_…","framework":"runr",…}
 *     ]
 *   }
 *
 * `RowLines` (rows.ts) reads this exact layout line by line without parsing every entry, which is
 * what makes one update in a 100,000-run manifest cheap. Anything else is read as plain JSON.
 */
import type { ManifestEntry } from './entry.js';
import { ENTRY_KEYS } from './entry.js';
import type { Manifest } from './manifest.js';
import { RowLines } from './rows.js';

/** The entry's JSON with keys in the canonical order (extras after runr's). */
export function entryRow(e: ManifestEntry): string {
  // No prototype: an extra key such as `constructor` or `__proto__` stays a plain key.
  const ordered = Object.create(null) as Record<string, unknown>;
  for (const k of ENTRY_KEYS) ordered[k] = e[k];
  for (const k of Object.keys(e)) if (!Object.hasOwn(ordered, k)) ordered[k] = e[k];
  return JSON.stringify(ordered);
}

export function serializeManifest(m: Manifest): string {
  return RowLines.fromRows(m, m.runs.map(entryRow)).render(m);
}

