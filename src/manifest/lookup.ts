/**
 * Find run ids in the manifest without reading it: the canonical layout has one entry per line,
 * sorted by run id, so a prefix is found by binary search over byte offsets with small positioned
 * reads, and the newest run is the last line. The cost is a few dozen reads of a few KB, whatever
 * the number of runs.
 *
 * Answers are hints for the run store's `resolve`: it checks that the run's directory exists and
 * falls back to listing the runs directory when the manifest is missing, not in the canonical
 * layout, or has no match (a run the index does not know yet).
 */
import fs from 'node:fs';
import path from 'node:path';
import { compareIds } from '../core/manifest/manifest.js';
import { MANIFEST_FILE } from '../core/manifest/manifest.js';
import { parseHead, TRAILER } from '../core/manifest/rows.js';
import { walFile } from './wal.js';
import { openRegularOrNull } from '../store/strict-read.js';

const NL = 0x0a;
const ID_START = Buffer.from('    {"run_id":"');
const CHUNK = 4096;
const HEAD_LINES = 6;

/** A manifest file opened for lookups: the byte range of its entry lines. */
class Lines {
  private readonly fd: number;
  private readonly stamp: string;
  private readonly wal: string;
  readonly bodyStart: number;
  readonly bodyEnd: number;
  /** The header's run count when its counters agree with each other, else null. */
  readonly total: number | null;

  private constructor(fd: number, stamp: string, wal: string, bodyStart: number, bodyEnd: number, total: number | null) {
    this.fd = fd;
    this.stamp = stamp;
    this.wal = wal;
    this.bodyStart = bodyStart;
    this.bodyEnd = bodyEnd;
    this.total = total;
  }

  /** A manifest being patched in place (a patch log beside it) is not used: callers fall back. */
  static open(file: string): Lines | null {
    const wal = walFile(path.dirname(file));
    if (fs.existsSync(wal)) return null;
    // Not a regular file (a FIFO would block the open), or not there: callers fall back.
    const fd = openRegularOrNull(file);
    if (fd === null) return null;
    try {
      const st = fs.fstatSync(fd, { bigint: true });
      const stamp = statStamp(st);
      const size = Number(st.size);
      const head = Buffer.alloc(Math.min(size, 64 * 1024));
      fs.readSync(fd, head, 0, head.length, 0);
      if (!head.toString('latin1', 0, 16).startsWith('{\n  "version": ')) throw new Error('not canonical');
      let at = -1;
      for (let i = 0; i < HEAD_LINES; i++) {
        at = head.indexOf(NL, at + 1);
        if (at < 0) throw new Error('not canonical');
      }
      if (!head.toString('latin1', 0, at + 1).endsWith('  "runs": [\n')) throw new Error('not canonical');
      const tail = Buffer.alloc(TRAILER.length);
      fs.readSync(fd, tail, 0, tail.length, size - TRAILER.length);
      if (tail.toString('latin1') !== TRAILER || size - TRAILER.length < at + 1) throw new Error('not canonical');
      const header = parseHead(head.toString('utf8', 0, at + 1));
      const sum = header === null ? -1 : Object.values(header.frameworks).reduce((a, b) => a + b, 0);
      const total = header !== null && sum === header.total_runs ? header.total_runs : null;
      return new Lines(fd, stamp, wal, at + 1, size - TRAILER.length, total);
    } catch {
      fs.closeSync(fd);
      return null;
    }
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  /** Nobody wrote the file while it was read (its answers hold). */
  unchanged(): boolean {
    return statStamp(fs.fstatSync(this.fd, { bigint: true })) === this.stamp && !fs.existsSync(this.wal);
  }

  private read(pos: number, len: number): Buffer {
    const n = Math.max(0, Math.min(len, this.bodyEnd - pos));
    const buf = Buffer.alloc(n);
    let got = 0;
    while (got < n) {
      const r = fs.readSync(this.fd, buf, got, n - got, pos + got);
      if (r === 0) break;
      got += r;
    }
    return buf.subarray(0, got);
  }

  /** The end (offset of the newline) of the line that contains `pos`, or bodyEnd. */
  lineEnd(pos: number): number {
    for (let p = pos; p < this.bodyEnd; p += CHUNK) {
      const at = this.read(p, CHUNK).indexOf(NL);
      if (at >= 0) return p + at;
    }
    return this.bodyEnd;
  }

  /** The start of the first line that starts at or after `pos` (bodyEnd when none does). */
  lineAtOrAfter(pos: number): number {
    if (pos <= this.bodyStart) return this.bodyStart;
    const end = this.lineEnd(pos - 1);
    return Math.min(end + 1, this.bodyEnd);
  }

  /** The run id of the line starting at `start`; null for a line that is not plain canonical. */
  idAt(start: number): string | null {
    const buf = this.read(start, 512);
    if (buf.compare(ID_START, 0, ID_START.length, 0, ID_START.length) !== 0) return null;
    const end = buf.indexOf(0x22, ID_START.length);
    if (end < 0) return null;
    const id = buf.toString('latin1', ID_START.length, end);
    return id.includes('\\') ? null : id;
  }

  /** The start of the line before the one starting at `start` (null at the first line). */
  lineBefore(start: number): number | null {
    if (start <= this.bodyStart) return null;
    // `start - 1` is the previous line's newline; search back from before it.
    let p = start - 1;
    while (p > this.bodyStart) {
      const from = Math.max(this.bodyStart, p - CHUNK);
      const at = this.read(from, p - from).lastIndexOf(NL);
      if (at >= 0) return from + at + 1;
      p = from;
    }
    return this.bodyStart;
  }

  /** Lines in [from, to) (both line starts). */
  countLines(from: number, to: number): number {
    let n = 0;
    for (let p = from; p < to; p += 1 << 20) {
      const buf = this.read(p, Math.min(1 << 20, to - p));
      for (let at = buf.indexOf(NL); at >= 0; at = buf.indexOf(NL, at + 1)) n++;
    }
    return n;
  }

  /** Smallest line start whose id satisfies `pred` (monotonic over sorted ids); bodyEnd when none does. */
  search(pred: (id: string) => boolean): number | 'unreadable' {
    let lo = this.bodyStart;
    let hi = this.bodyEnd;
    let bad = false;
    while (lo < hi) {
      const mid = lo + Math.floor((hi - lo) / 2);
      const start = this.lineAtOrAfter(mid);
      let ok: boolean;
      if (start >= this.bodyEnd) ok = true;
      else {
        const id = this.idAt(start);
        if (id === null) {
          bad = true;
          break;
        }
        ok = pred(id);
      }
      if (ok) hi = mid;
      else lo = mid + 1;
    }
    return bad ? 'unreadable' : this.lineAtOrAfter(lo);
  }
}

function statStamp(st: fs.BigIntStats): string {
  return `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
}

/**
 * `fn` over the manifest's lines; null without a usable manifest. A writer patches the file in
 * place (patch.ts): an answer read while it did is thrown away and the lookup done again.
 */
function withLines<T>(runsDir: string, fn: (lines: Lines) => T | null): T | null {
  for (let attempt = 0; attempt < 3; attempt++) {
    const lines = Lines.open(path.join(runsDir, MANIFEST_FILE));
    if (lines === null) return null;
    try {
      const r = fn(lines);
      if (lines.unchanged()) return r;
    } finally {
      lines.close();
    }
  }
  return null;
}

export type PrefixLookup =
  | { kind: 'no-index' }
  /** `count` ids start with the prefix; `ids` holds the first few of them (all when count ≤ 4). */
  | { kind: 'found'; count: number; ids: string[] };

/** Ids in `runsDir`'s manifest that start with `prefix`. */
export function lookupPrefix(runsDir: string, prefix: string): PrefixLookup {
  const r = withLines(runsDir, (lines): PrefixLookup | null => {
    const first = lines.search((id) => compareIds(id, prefix) >= 0);
    if (first === 'unreadable') return null;
    const ids: string[] = [];
    let at = first;
    while (at < lines.bodyEnd && ids.length < 4) {
      const id = lines.idAt(at);
      if (id === null) return null;
      if (!id.startsWith(prefix)) break;
      ids.push(id);
      at = lines.lineEnd(at) + 1;
    }
    if (ids.length < 4) return { kind: 'found', count: ids.length, ids };
    const after = lines.search((id) => compareIds(id, prefix) > 0 && !id.startsWith(prefix));
    if (after === 'unreadable') return null;
    return { kind: 'found', count: lines.countLines(first, after), ids };
  });
  return r ?? { kind: 'no-index' };
}

/**
 * The newest id in the manifest (from the last line back) that `accept` takes, looking at no more
 * than `max` lines; null when there is none or no usable manifest.
 */
export function lookupLatest(runsDir: string, accept: (id: string) => boolean, max = 32): string | null {
  const r = withLines(runsDir, (lines): { id: string | null } | null => {
    let at = lines.lineBefore(lines.bodyEnd);
    for (let i = 0; at !== null && i < max; i++) {
      const id = lines.idAt(at);
      if (id === null) return null;
      if (accept(id)) return { id };
      at = lines.lineBefore(at);
    }
    return { id: null };
  });
  return r?.id ?? null;
}

/** Where `id`'s line is, or would go, in a canonical manifest (for the in-place update, patch.ts). */
export interface LinePlace {
  bodyStart: number;
  bodyEnd: number;
  /** The start of the first line whose id is `id` or sorts after it (bodyEnd when none does). */
  start: number;
  found: boolean;
  /** Where the rewritten tail starts: `start`, or the last line's start when appending (it gains a comma). */
  tailStart: number;
}

/** Call with the manifest lock held. */
export function placeLine(file: string, id: string): LinePlace | null {
  const lines = Lines.open(file);
  if (lines === null) return null;
  try {
    const start = lines.search((x) => compareIds(x, id) >= 0);
    if (start === 'unreadable') return null;
    const found = start < lines.bodyEnd && lines.idAt(start) === id;
    const tailStart = !found && start >= lines.bodyEnd ? (lines.lineBefore(lines.bodyEnd) ?? lines.bodyStart) : start;
    return { bodyStart: lines.bodyStart, bodyEnd: lines.bodyEnd, start, found, tailStart };
  } finally {
    lines.close();
  }
}

/**
 * The ids of the last `n` lines (newest first) and the number of lines; null without a usable
 * manifest. The number is the header's when its counters agree (runr keeps them right), so it is
 * not counted line by line.
 */
export function lookupNewest(runsDir: string, n: number): { ids: string[]; total: number } | null {
  return withLines(runsDir, (lines) => {
    const ids: string[] = [];
    let at = lines.lineBefore(lines.bodyEnd);
    while (at !== null && ids.length < n) {
      const id = lines.idAt(at);
      if (id === null) return null;
      ids.push(id);
      at = lines.lineBefore(at);
    }
    const total = at === null ? ids.length : (lines.total ?? ids.length + lines.countLines(lines.bodyStart, lines.lineEnd(at) + 1));
    return { ids, total };
  });
}
