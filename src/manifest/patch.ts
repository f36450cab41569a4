/**
 * The in-place update of one entry: the usual change (a new run, or a recent one that started or
 * ended) rewrites only the manifest's header and its lines from the changed one to the end, not
 * the whole file. The line is found by binary search (lookup.ts); the patch is logged first
 * (wal.ts), so a writer killed at any instant loses nothing. The cost depends on how many runs come
 * after the changed one — none for a new run — not on how many the manifest holds.
 *
 * Anything unusual returns null and the caller rewrites the file (splice.ts, rows.ts): a header
 * that changes length (the run count gains a digit), an id or framework with characters JSON
 * escapes, a non-canonical file, a tail of more than MAX_TAIL bytes (an old run changed in a big
 * manifest: a rewrite then costs about as much).
 */
import fs from 'node:fs';
import { lineHead, parseHead, renderHead, TRAILER } from '../core/manifest/rows.js';
import { placeLine } from './lookup.js';
import type { ResolvedOptions } from './options.js';
import { manifestFile } from './paths.js';
import { withCounts } from './splice.js';
import type { Patch } from './wal.js';
import { applyPatch, clearWal, writeWal } from './wal.js';

const NL = 0x0a;
const INDENT = '    ';
const PLAIN = /^[A-Za-z0-9._:@+-]+$/;
const MAX_TAIL = 1 << 20;
const ANCHOR = 64;

function readAt(fd: number, pos: number, len: number): Buffer {
  const buf = Buffer.alloc(len);
  let got = 0;
  while (got < len) {
    const n = fs.readSync(fd, buf, got, len - got, pos + got);
    if (n === 0) break;
    got += n;
  }
  return buf.subarray(0, got);
}

/** The header's counters, when they agree with each other. */
function readHeader(fd: number, bodyStart: number): ReturnType<typeof parseHead> {
  const header = parseHead(readAt(fd, 0, bodyStart).toString('utf8'));
  if (header === null) return null;
  const sum = Object.values(header.frameworks).reduce((a, b) => a + b, 0);
  return sum === header.total_runs ? header : null;
}

/** The patch that upserts one entry (`row` is its JSON); 'same' when the line is already that. */
export function planPatch(file: string, id: string, framework: string, row: string, stamp: string): Patch | 'same' | null {
  if (!PLAIN.test(id) || !PLAIN.test(framework)) return null;
  const place = placeLine(file, id);
  if (place === null) return null;
  const fd = fs.openSync(file, 'r');
  let header: ReturnType<typeof parseHead>;
  let tail: Buffer;
  let anchor: Buffer;
  try {
    const size = fs.fstatSync(fd).size;
    if (size - place.tailStart > MAX_TAIL || size !== place.bodyEnd + TRAILER.length) return null;
    header = readHeader(fd, place.bodyStart);
    if (header === null) return null;
    tail = readAt(fd, place.tailStart, size - place.tailStart);
    const from = Math.max(place.bodyStart, place.tailStart - ANCHOR);
    anchor = readAt(fd, from, place.tailStart - from);
  } finally {
    fs.closeSync(fd);
  }
  if (tail.toString('latin1', tail.length - TRAILER.length) !== TRAILER) return null;
  let newTail: Buffer;
  let add: string | null = null;
  let sub: string | null = null;
  if (place.found) {
    const nl = tail.indexOf(NL);
    const old = tail.toString('utf8', 0, nl);
    const line = `${INDENT}${row}${old.endsWith(',') ? ',' : ''}`;
    if (line === old) return 'same';
    const oldHead = lineHead(old);
    if (oldHead === null) return null;
    if (oldHead.framework !== framework) [add, sub] = [framework, oldHead.framework];
    newTail = Buffer.concat([Buffer.from(line), tail.subarray(nl)]);
  } else if (place.start >= place.bodyEnd) {
    // A new last line (the usual new run): the old last line gains a comma.
    add = framework;
    const last = tail.subarray(0, Math.max(0, tail.length - TRAILER.length - 1));
    newTail = Buffer.concat([last, Buffer.from(last.length > 0 ? ',\n' : ''), Buffer.from(`${INDENT}${row}\n${TRAILER}`)]);
  } else {
    add = framework;
    newTail = Buffer.concat([Buffer.from(`${INDENT}${row},\n`), tail]);
  }
  const h = add === null ? { ...header, last_updated: stamp } : withCounts(header, add, sub, stamp);
  const head = Buffer.from(renderHead(h));
  if (head.length !== place.bodyStart) return null;
  return { at: place.tailStart, head, tail: newTail, anchor, rows: [row] };
}

/** Upsert one entry in place (call with the manifest lock held). */
export function patchUpsert(o: Pick<ResolvedOptions, 'runsDir' | 'fsync'>, id: string, framework: string, row: string, stamp: string): 'same' | 'patched' | null {
  const file = manifestFile(o.runsDir);
  const patch = planPatch(file, id, framework, row, stamp);
  if (patch === null || patch === 'same') return patch;
  writeWal(o.runsDir, patch, o.fsync);
  if (!applyPatch(file, patch, o.fsync)) throw new Error(`${file} changed under the manifest lock`);
  clearWal(o.runsDir);
  return 'patched';
}
