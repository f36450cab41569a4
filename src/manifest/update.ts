/**
 * Change the manifest under its lock: upsert entries, remove entries, write atomically.
 *
 * First a patch a killed writer left is completed (wal.ts). One new or recent run — the usual
 * change — is then patched in place (patch.ts: the header and the lines from the changed one on);
 * when that does not apply it is spliced into the file's bytes (splice.ts). Other
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
import { checkEntry } from '../core/manifest/check.js';
import { decodeManifest, forgetManifest, readManifestBytes, withManifestLock, writeManifestText } from './io.js';
import { patchUpsert } from './patch.js';
import { spliceUpsert } from './splice.js';
import { parseManifestText } from './parse.js';
import type { ResolvedOptions } from './options.js';
import { manifestFile } from './paths.js';
import { applyPatch, clearWal, readWal } from './wal.js';

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

/**
 * Complete the patch a killed writer left (call with the lock held). Returns the entries to upsert
 * again when the manifest was replaced since (the patch no longer fits it); the log is then kept
 * until they are written.
 */
function settle(o: ResolvedOptions): ManifestEntry[] {
  const wal = readWal(o.runsDir);
  if (wal.kind === 'patch' && !applyPatch(manifestFile(o.runsDir), wal.patch, o.fsync)) {
    const entries: ManifestEntry[] = [];
    for (const row of wal.patch.rows) {
      try {
        const c = checkEntry(JSON.parse(row));
        if (c.ok) entries.push(c.entry);
      } catch {
        // Not an entry: nothing to keep.
      }
    }
    if (entries.length > 0) return entries;
  }
  if (wal.kind !== 'none') {
    forgetManifest(manifestFile(o.runsDir));
    clearWal(o.runsDir);
  }
  return [];
}

/** Each entry patched in place, in order, until one cannot be (`done` false: the caller rewrites). */
function patchAll(o: ResolvedOptions, upserts: readonly ManifestEntry[]): { changed: string[]; done: boolean } {
  const stamp = o.now().toISOString();
  const changed: string[] = [];
  for (const e of upserts) {
    const r = patchUpsert(o, e.run_id, e.framework, entryRow(e), stamp);
    if (r === null) return { changed, done: false };
    if (r === 'patched') {
      forgetManifest(manifestFile(o.runsDir));
      if (!changed.includes(e.run_id)) changed.push(e.run_id);
    }
  }
  return { changed, done: true };
}

/** Apply a change decided under the lock (`decide` may read records: it sees the latest state). */
export function changeManifest(o: ResolvedOptions, decide: () => ManifestChange): Promise<ChangeResult> {
  return withManifestLock(o, async () => {
    const leftover = settle(o);
    const decided = decide();
    const result = await changeLocked(o, { ...decided, upsert: [...leftover, ...(decided.upsert ?? [])] }, leftover.length === 0);
    if (leftover.length > 0) clearWal(o.runsDir);
    return result;
  });
}

async function changeLocked(o: ResolvedOptions, change: ManifestChange, mayPatch: boolean): Promise<ChangeResult> {
  const result: ChangeResult = { written: false, changed: [], removed: [] };
  const file = manifestFile(o.runsDir);
  const upserts = change.upsert ?? [];
  if (mayPatch && upserts.length > 0 && (change.remove ?? []).length === 0) {
    const p = patchAll(o, upserts);
    if (p.done) return { written: p.changed.length > 0, changed: p.changed, removed: [] };
    // Those already patched come back 'same' below: keep them in the answer.
    result.changed.push(...p.changed);
  }
  const patchedIds = [...result.changed];
  const buf = readManifestBytes(file);
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
      if (result.changed.length === patchedIds.length) return { ...result, written: patchedIds.length > 0 };
      writeManifestText(file, bytes, o);
      return { ...result, written: true };
    }
    result.changed = [...patchedIds];
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
    if (!result.changed.includes(e.run_id)) result.changed.push(e.run_id);
  }
  for (const id of change.remove ?? []) {
    const i = search(cur.ids, id);
    if (i < 0) continue;
    cur.rows.remove(i);
    cur.ids.splice(i, 1);
    cur.frameworks.splice(i, 1);
    result.removed.push(id);
  }
  if (result.changed.length === patchedIds.length && result.removed.length === 0) return { ...result, written: patchedIds.length > 0 };
  const header = { version: MANIFEST_VERSION, last_updated: o.now().toISOString(), total_runs: cur.rows.length, frameworks: countFrameworks(cur.frameworks) };
  writeManifestText(manifestFile(o.runsDir), cur.rows.render(header), o);
  result.written = true;
  return result;
}
