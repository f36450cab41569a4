/**
 * Parse manifest text into entries. The canonical layout is read line by line (one JSON.parse per
 * entry is faster than one over 40 MB, and a bad line is named); anything else — the original
 * tool's indent-2 file, a hand-edited one — is parsed as a whole. Both paths check every entry.
 */
import { z } from 'zod';
import type { ManifestEntry } from '../../core/manifest/entry.js';
import { checkEntry } from '../../core/manifest/check.js';
import type { Manifest } from '../../core/manifest/manifest.js';
import { buildManifest, compareIds, countFrameworks, sortUnique } from '../../core/manifest/manifest.js';
import { splitCanonical } from '../../core/manifest/serialize.js';
import { formatZodIssue } from '../../core/zod-format.js';

export type ParseResult = { ok: true; manifest: Manifest; canonical: boolean } | { ok: false; problem: string };

const HeaderSchema = z.looseObject({
  version: z.string().optional(),
  last_updated: z.string().nullable().optional(),
  total_runs: z.number().optional(),
  frameworks: z.record(z.string(), z.number()).optional(),
  runs: z.array(z.unknown()),
});

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
  const doc = splitCanonical(text);
  if (doc !== null) {
    const entries: ManifestEntry[] = new Array<ManifestEntry>(doc.rows.length);
    for (let i = 0; i < doc.rows.length; i++) {
      const r = parseRow(doc.rows[i] as string, i);
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
  const h = HeaderSchema.safeParse(raw);
  if (!h.success) {
    const issue = h.error.issues[0];
    if (issue === undefined) return { ok: false, problem: 'not a manifest' };
    const { field, problem } = formatZodIssue(issue);
    return { ok: false, problem: `${field === '' ? '(root)' : field}: ${problem}` };
  }
  const entries: ManifestEntry[] = [];
  for (let i = 0; i < h.data.runs.length; i++) {
    const c = checkEntry(h.data.runs[i]);
    if (!c.ok) return { ok: false, problem: `runs[${i}]${c.field === '' ? '' : `.${c.field}`}: ${c.problem}` };
    entries.push(c.entry);
  }
  return finish(entries, h.data.last_updated ?? null, false);
}

/**
 * For `runr find`: parse only the rows that pass `prefilter`; the others get the canonical layout's
 * structural check only. Returns the candidate entries (still to be matched exactly).
 */
export function scanManifestText(text: string, prefilter: (row: string) => boolean): { ok: true; candidates: ManifestEntry[]; total: number } | { ok: false; problem: string } {
  const doc = splitCanonical(text);
  if (doc === null) {
    const r = parseManifestText(text);
    return r.ok ? { ok: true, candidates: r.manifest.runs, total: r.manifest.runs.length } : r;
  }
  const candidates: ManifestEntry[] = [];
  const rows = doc.rows;
  let sorted = true;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as string;
    if (!prefilter(row)) continue;
    const r = parseRow(row, i);
    if (!r.ok) return r;
    const last = candidates[candidates.length - 1];
    if (last !== undefined && compareIds(last.run_id, r.entry.run_id) >= 0) sorted = false;
    candidates.push(r.entry);
  }
  // runr always writes sorted entries; a hand-edited file may not be.
  return { ok: true, candidates: sorted ? candidates : sortUnique(candidates), total: rows.length };
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
