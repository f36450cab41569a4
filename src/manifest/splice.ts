/**
 * The fast path of an update: most changes add the newest run (ids are time-ordered, so it goes
 * last) or change a recent one. Both are done on the file's bytes — the run's line is found with
 * one native search, the new file is the old bytes around one new line and a new header — without
 * decoding, splitting or re-encoding 40 MB. Anything unusual returns null and the caller takes
 * the general path (rows.ts), which also checks every line.
 *
 * What the fast path trusts, and why that is safe:
 * - The header's counters, when they agree with each other and with the number of lines (a merge
 *   conflict or a hand edit almost always breaks that, sending us to the general path).
 * - Sorted ids: runr always writes them sorted. If a hand edit broke the order, an append could
 *   duplicate an id; readers sort and keep the last occurrence, which is the new entry.
 * - The lines it does not touch are not parsed here; readers check them (a corrupt one is moved
 *   aside and rebuilt then).
 */
import { compareIds } from '../core/manifest/manifest.js';
import type { ManifestHeader } from '../core/manifest/manifest.js';
import { lineHead, parseHead, renderHead, TRAILER } from '../core/manifest/rows.js';

const NL = 0x0a;
const INDENT = '    ';
/** Ids and frameworks that JSON writes as they are (no escapes), so a byte search finds them. */
const PLAIN = /^[A-Za-z0-9._:@+-]+$/;

function nthNewline(buf: Buffer, n: number): number {
  let at = -1;
  for (let i = 0; i < n; i++) {
    at = buf.indexOf(NL, at + 1);
    if (at < 0) return -1;
  }
  return at;
}

function countNewlines(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let at = buf.indexOf(NL, from); at >= 0 && at < to; at = buf.indexOf(NL, at + 1)) n++;
  return n;
}

export function withCounts(h: ManifestHeader, add: string | null, sub: string | null, lastUpdated: string): ManifestHeader {
  const counts = new Map(Object.entries(h.frameworks));
  if (sub !== null) counts.set(sub, (counts.get(sub) ?? 0) - 1);
  if (add !== null) counts.set(add, (counts.get(add) ?? 0) + 1);
  const frameworks: Record<string, number> = {};
  for (const k of [...counts.keys()].sort(compareIds)) if ((counts.get(k) ?? 0) > 0) frameworks[k] = counts.get(k) as number;
  const total = h.total_runs + (add !== null ? 1 : 0) - (sub !== null ? 1 : 0);
  return { version: h.version, last_updated: lastUpdated, total_runs: total, frameworks };
}

/**
 * Upsert one entry (`row` is its JSON) into canonical manifest bytes. Returns the new bytes,
 * 'same' when the line is already exactly that, or null when the fast path does not apply.
 */
export function spliceUpsert(buf: Buffer, id: string, framework: string, row: string, lastUpdated: string): Buffer | 'same' | null {
  if (!PLAIN.test(id) || !PLAIN.test(framework)) return null;
  const headEnd = nthNewline(buf, 6);
  if (headEnd < 0) return null;
  const header = parseHead(buf.toString('utf8', 0, headEnd + 1));
  if (header === null) return null;
  const bodyStart = headEnd + 1;
  const bodyEnd = buf.length - TRAILER.length;
  if (bodyEnd < bodyStart || buf.toString('utf8', bodyEnd) !== TRAILER) return null;
  const lines = countNewlines(buf, bodyStart, bodyEnd);
  const sum = Object.values(header.frameworks).reduce((a, b) => a + b, 0);
  if (lines !== header.total_runs || sum !== lines) return null;

  // The run's line, if present: a newline, the indent, then exactly this id and the framework key.
  const needle = Buffer.from(`\n${INDENT}{"run_id":"${id}","framework":"`);
  const found = lines === 0 ? -1 : buf.lastIndexOf(needle, bodyEnd);
  if (found >= headEnd) {
    const start = found + 1;
    const end = buf.indexOf(NL, start);
    const old = buf.toString('utf8', start, end);
    const comma = old.endsWith(',') ? ',' : '';
    const line = `${INDENT}${row}${comma}`;
    if (line === old) return 'same';
    const oldHead = lineHead(old);
    if (oldHead === null) return null;
    const h = oldHead.framework === framework ? { ...header, last_updated: lastUpdated } : withCounts(header, framework, oldHead.framework, lastUpdated);
    return Buffer.concat([Buffer.from(renderHead(h)), buf.subarray(bodyStart, start), Buffer.from(line), buf.subarray(end)]);
  }
  // A new run: only when it sorts after the last one (the usual case) is it a plain append.
  if (lines > 0) {
    const lastStart = buf.lastIndexOf(NL, bodyEnd - 2) + 1;
    const last = lineHead(buf.toString('utf8', lastStart, bodyEnd - 1));
    if (last === null || compareIds(last.run_id, id) >= 0) return null;
  }
  const h = withCounts(header, framework, null, lastUpdated);
  const before = lines > 0 ? [buf.subarray(bodyStart, bodyEnd - 1), Buffer.from(',\n')] : [];
  return Buffer.concat([Buffer.from(renderHead(h)), ...before, Buffer.from(`${INDENT}${row}\n${TRAILER}`)]);
}
