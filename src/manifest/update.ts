/**
 * Change the manifest under its lock: upsert entries, remove entries, write atomically.
 *
 * One new or recent run — the usual change — is spliced into the file's bytes (splice.ts). Other
 * changes in the canonical layout work on lines: each entry's run_id and framework are read from
 * the start of its line, the changed line is found by binary search, and the counters are recounted
 * from the lines. Untouched entries are never parsed, which keeps one update in a 100,000-run
 * manifest under the 0.5 s budget. A file in any other layout is parsed (and rewritten
 * canonically); a corrupt one is moved aside and rebuilt first.
 *
 * An update that changes nothing does not write: `last_updated` only moves when an entry does.
 */
import type { ManifestEntry } from '../core/manifest/entry.js';
import { compareIds, countFrameworks, emptyManifest, MANIFEST_VERSION } from '../core/manifest/manifest.js';
import type { Manifest } from '../core/manifest/manifest.js';
import { RowLines } from '../core/manifest/rows.js';
import { entryRow } from '../core/manifest/serialize.js';
import { decodeManifest, readManifestBytes, withManifestLock, writeManifestText } from './io.js';
import { spliceUpsert } from './splice.js';
import { parseManifestText } from './parse.js';
import type { ResolvedOptions } from './options.js';
import { manifestFile } from './paths.js';

export interface ManifestChange {
  upsert?: ManifestEntry[];
  remove?: string[];
}

export interface ChangeResult {
  written: boolean;
  /** Ids of the upserted entries whose line changed (new or different). */
  changed: string[];
  /** Ids that were removed (ids not in the manifest are not listed). */
  removed: string[];
}

interface Current {
  rows: RowLines;
  ids: string[];
  frameworks: string[];
}

function fromManifest(m: Manifest): Current {
  return {
    rows: RowLines.fromRows(m, m.runs.map(entryRow)),
    ids: m.runs.map((e) => e.run_id),
    frameworks: m.runs.map((e) => e.framework),
  };
}

/** The current rows, whatever state the file is in. */
async function current(o: ResolvedOptions, buf: Buffer | null): Promise<Current> {
  if (buf === null) return fromManifest(emptyManifest());
  const text = decodeManifest(buf);
  const rows = RowLines.parse(text);
  const heads = rows?.heads() ?? null;
  if (rows !== null && heads !== null) return { rows, ...heads };
  const parsed = parseManifestText(text);
  if (parsed.ok) return fromManifest(parsed.manifest);
  const { recoverLocked } = await import('./rebuild.js');
  return fromManifest(recoverLocked(o, parsed.problem));
}

/** Index of `id` in sorted `ids`, or -(insertion point) - 1. */
function search(ids: readonly string[], id: string): number {
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareIds(ids[mid] as string, id);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -lo - 1;
}

/** Apply a change decided under the lock (`decide` may read records: it sees the latest state). */
export function changeManifest(o: ResolvedOptions, decide: () => ManifestChange): Promise<ChangeResult> {
  return withManifestLock(o, async () => {
    const change = decide();
    const result: ChangeResult = { written: false, changed: [], removed: [] };
    const file = manifestFile(o.runsDir);
    const buf = readManifestBytes(file);
    const upserts = change.upsert ?? [];
    if (buf !== null && upserts.length > 0 && (change.remove ?? []).length === 0) {
      // The usual change: one run (or a command's few runs), each spliced into the bytes.
      const stamp = o.now().toISOString();
      let bytes: Buffer | null = buf;
      for (const e of upserts) {
        const spliced = spliceUpsert(bytes, e.run_id, e.framework, entryRow(e), stamp);
        if (spliced === null) {
          bytes = null;
          break;
        }
        if (spliced !== 'same') {
          bytes = spliced;
          if (!result.changed.includes(e.run_id)) result.changed.push(e.run_id);
        }
      }
      if (bytes !== null) {
        if (result.changed.length === 0) return result;
        writeManifestText(file, bytes, o);
        return { ...result, written: true };
      }
      result.changed = [];
    }
    const cur = await current(o, buf);
    for (const e of change.upsert ?? []) {
      const row = entryRow(e);
      const i = search(cur.ids, e.run_id);
      if (i >= 0) {
        if (cur.rows.row(i) === row) continue;
        cur.rows.put(i, row, true);
        cur.frameworks[i] = e.framework;
      } else {
        const at = -i - 1;
        cur.rows.put(at, row, false);
        cur.ids.splice(at, 0, e.run_id);
        cur.frameworks.splice(at, 0, e.framework);
      }
      result.changed.push(e.run_id);
    }
    for (const id of change.remove ?? []) {
      const i = search(cur.ids, id);
      if (i < 0) continue;
      cur.rows.remove(i);
      cur.ids.splice(i, 1);
      cur.frameworks.splice(i, 1);
      result.removed.push(id);
    }
    if (result.changed.length === 0 && result.removed.length === 0) return result;
    const header = { version: MANIFEST_VERSION, last_updated: o.now().toISOString(), total_runs: cur.rows.length, frameworks: countFrameworks(cur.frameworks) };
    writeManifestText(manifestFile(o.runsDir), cur.rows.render(header), o);
    result.written = true;
    return result;
  });
}
