/**
 * Three-way merge of manifests (pure), for the git merge driver (`runr manifest merge %O %A %B`).
 * The manifest is a set of entries keyed by run id, so it merges without conflicts: an entry added
 * or changed on one side is taken; one changed on both sides takes the one that finished later
 * (then the one with more recorded, then ours); one removed on a side and untouched on the other
 * stays removed; one removed on one side and changed on the other is kept. The header is recomputed
 * from the entries (counters never disagree with them) and `last_updated` is the later of the two.
 */
import type { ManifestEntry } from './entry.js';
import type { Manifest } from './manifest.js';
import { buildManifest } from './manifest.js';
import { entryRow } from './serialize.js';

function later(a: ManifestEntry, b: ManifestEntry): ManifestEntry {
  const ta = a.end_time ?? '';
  const tb = b.end_time ?? '';
  if (ta !== tb) return tb > ta ? b : a;
  return entryRow(b).length > entryRow(a).length ? b : a;
}

export function mergeManifests(base: Manifest | null, ours: Manifest, theirs: Manifest): Manifest {
  const o = new Map((base?.runs ?? []).map((e) => [e.run_id, e]));
  const a = new Map(ours.runs.map((e) => [e.run_id, e]));
  const b = new Map(theirs.runs.map((e) => [e.run_id, e]));
  const same = (x: ManifestEntry | undefined, y: ManifestEntry | undefined) => (x === undefined || y === undefined ? x === y : entryRow(x) === entryRow(y));
  const out: ManifestEntry[] = [];
  for (const id of new Set([...o.keys(), ...a.keys(), ...b.keys()])) {
    const eo = o.get(id);
    const ea = a.get(id);
    const eb = b.get(id);
    if (ea !== undefined && eb !== undefined) out.push(same(ea, eo) ? eb : same(eb, eo) ? ea : later(ea, eb));
    else if (ea !== undefined) {
      if (eo === undefined || !same(ea, eo)) out.push(ea); // added by us, or removed by them but changed by us
    } else if (eb !== undefined) {
      if (eo === undefined || !same(eb, eo)) out.push(eb);
    }
  }
  const stamps = [ours.last_updated, theirs.last_updated].filter((s): s is string => s !== null).sort();
  return buildManifest(out, stamps.at(-1) ?? null);
}
