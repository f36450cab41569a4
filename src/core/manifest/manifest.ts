/**
 * The manifest document: the original's header (`version, last_updated, total_runs, frameworks`)
 * and the entries sorted by run id. Counters are always recomputed from the entries, so a run that
 * changes framework never leaves them stale (a defect of the original).
 */
import type { ManifestEntry } from './entry.js';

export const MANIFEST_VERSION = '1.0';
export const MANIFEST_FILE = 'runs_manifest.json';

export interface ManifestHeader {
  version: string;
  /** ISO time of the last write (milliseconds; the original wrote microseconds). */
  last_updated: string | null;
  total_runs: number;
  /** Runs per framework, every framework with at least one run, sorted by name. */
  frameworks: Record<string, number>;
}

export interface Manifest extends ManifestHeader {
  runs: ManifestEntry[];
}

export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function countFrameworks(frameworks: Iterable<string>): Record<string, number> {
  const counts = new Map<string, number>();
  for (const f of frameworks) counts.set(f, (counts.get(f) ?? 0) + 1);
  const out: Record<string, number> = {};
  for (const k of [...counts.keys()].sort(compareIds)) out[k] = counts.get(k) as number;
  return out;
}

/** Sort by run id; when an id appears twice the later entry wins. */
export function sortUnique(entries: readonly ManifestEntry[]): ManifestEntry[] {
  const byId = new Map<string, ManifestEntry>();
  for (const e of entries) byId.set(e.run_id, e);
  return [...byId.values()].sort((a, b) => compareIds(a.run_id, b.run_id));
}

export function buildManifest(entries: readonly ManifestEntry[], lastUpdated: string | null): Manifest {
  const runs = sortUnique(entries);
  return {
    version: MANIFEST_VERSION,
    last_updated: lastUpdated,
    total_runs: runs.length,
    frameworks: countFrameworks(runs.map((r) => r.framework)),
    runs,
  };
}

export function emptyManifest(): Manifest {
  return buildManifest([], null);
}
