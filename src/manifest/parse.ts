/**
 * Parse manifest text into entries. The canonical layout is read line by line (one JSON.parse per
 * entry is faster than one over 40 MB, and a bad line is named); anything else — the original
 * tool's indent-2 file, a hand-edited one — is parsed as a whole. Both paths check every entry.
 */
import type { ManifestEntry } from '../core/manifest/entry.js';
import { checkEntry } from '../core/manifest/check.js';
import type { Manifest } from '../core/manifest/manifest.js';
import { buildManifest, compareIds, countFrameworks, sortUnique } from '../core/manifest/manifest.js';
import { RowLines } from '../core/manifest/rows.js';
import type { Prefilters } from '../core/query/prefilter.js';

export type ParseResult = { ok: true; manifest: Manifest; canonical: boolean } | { ok: false; problem: string };

/** The header of a manifest in another layout (hand-checked: the cold read path avoids loading zod). */
function checkHeader(raw: unknown): { ok: true; runs: unknown[]; lastUpdated: string | null } | { ok: false; problem: string } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, problem: '(root): expected an object' };
  const h = raw as Record<string, unknown>;
  if (!Array.isArray(h.runs)) return { ok: false, problem: `runs: expected an array${h.runs === undefined ? ', got nothing' : ''}` };
  if (h.version !== undefined && typeof h.version !== 'string') return { ok: false, problem: 'version: expected a string' };
  const lu = h.last_updated ?? null;
  if (lu !== null && typeof lu !== 'string') return { ok: false, problem: 'last_updated: expected a string' };
  return { ok: true, runs: h.runs as unknown[], lastUpdated: lu };
}

function parseRow(row: string, index: number): { ok: true; entry: ManifestEntry } | { ok: false; problem: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(row);
  } catch {
    return { ok: false, problem: `runs[${index}]: not valid JSON` };
  }
  const c = checkEntry(raw);
  if (!c.ok) return { ok: false, problem: `runs[${index}]${c.field === '' ? '' : `.${c.field}`}: ${c.problem}` };
  return { ok: true, entry: c.entry };
}

function finish(entries: ManifestEntry[], lastUpdated: string | null, canonical: boolean): ParseResult {
  let sorted = true;
  for (let i = 1; i < entries.length; i++) {
    if (compareIds((entries[i - 1] as ManifestEntry).run_id, (entries[i] as ManifestEntry).run_id) >= 0) {
      sorted = false;
      break;
    }
  }
  if (!sorted) return { ok: true, manifest: buildManifest(entries, lastUpdated), canonical: false };
  return {
    ok: true,
    canonical,
    manifest: { version: '1.0', last_updated: lastUpdated, total_runs: entries.length, frameworks: countFrameworks(entries.map((e) => e.framework)), runs: entries },
  };
}

export function parseManifestText(text: string): ParseResult {
  const doc = RowLines.parse(text);
  if (doc !== null) {
    const entries: ManifestEntry[] = new Array<ManifestEntry>(doc.length);
    for (let i = 0; i < doc.length; i++) {
      const r = parseRow(doc.row(i), i);
      if (!r.ok) return r;
      entries[i] = r.entry;
    }
    return finish(entries, doc.header.last_updated, true);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, problem: `not valid JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  const h = checkHeader(raw);
  if (!h.ok) return h;
  const entries: ManifestEntry[] = [];
  for (let i = 0; i < h.runs.length; i++) {
    const c = checkEntry(h.runs[i]);
    if (!c.ok) return { ok: false, problem: `runs[${i}]${c.field === '' ? '' : `.${c.field}`}: ${c.problem}` };
    entries.push(c.entry);
  }
  return finish(entries, h.lastUpdated, false);
}

/**
 * For `runr find`: parse only the rows that pass `prefilter`; the others get the canonical layout's
 * structural check only. Returns the candidate entries (still to be matched exactly).
 */
export function scanManifestText(text: string, prefilter: Prefilters): { ok: true; candidates: ManifestEntry[]; total: number } | { ok: false; problem: string } {
  const doc = RowLines.parse(text);
  if (doc === null) {
    const r = parseManifestText(text);
    return r.ok ? { ok: true, candidates: r.manifest.runs, total: r.manifest.runs.length } : r;
  }
  const candidates: ManifestEntry[] = [];
  const lines = doc.lines;
  // One scan of the file: with no backslash anywhere, no line needs the escape guard.
  const test = text.includes('\\') ? prefilter.guarded : prefilter.plain;
  let sorted = true;
  for (let i = 0; i < lines.length; i++) {
    // The prefilter reads the raw line: the indent and the comma change nothing for it.
    if (!test(lines[i] as string)) continue;
    const r = parseRow(doc.row(i), i);
    if (!r.ok) return r;
    const last = candidates[candidates.length - 1];
    if (last !== undefined && compareIds(last.run_id, r.entry.run_id) >= 0) sorted = false;
    candidates.push(r.entry);
  }
  // runr always writes sorted entries; a hand-edited file may not be.
  return { ok: true, candidates: sorted ? candidates : sortUnique(candidates), total: lines.length };
}

export function freezeEntries(m: Manifest): Manifest {
  for (const e of m.runs) {
    Object.freeze(e.params);
    Object.freeze(e.metrics);
    Object.freeze(e.tags);
    Object.freeze(e);
  }
  Object.freeze(m.runs);
  Object.freeze(m.frameworks);
  return Object.freeze(m);
}
