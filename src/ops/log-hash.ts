/**
 * The harness's `compute_execution_log_hash`, streamed: read the events file as Python text
 * (UTF-8, universal newlines), skip blank lines, drop `ts_utc` and `event_id` from each event,
 * and hash `json.dumps(events, sort_keys=True, ensure_ascii=False)` — written out piece by piece as
 * `[` + events joined by `, ` + `]`, so a large log is never held as one string.
 * The same reader yields the events themselves for reports.
 */
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { canonicalPy, parsePy, PyJsonError } from '../core/ops/pyjson-parse.js';
import type { PyValue } from '../core/ops/pyvalue.js';
import type { LogHashResult } from '../core/ops/verify-checks.js';
import { ioProblem } from './files.js';

const CHUNK = 1 << 20;
const DROP = new Set(['ts_utc', 'event_id']);
// Python's str.strip() whitespace (str.isspace): JS \s minus U+FEFF plus U+001C–U+001F and U+0085.
// eslint-disable-next-line no-control-regex -- U+001C..U+001F are whitespace to Python's str.strip()
const PY_STRIP = /^[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

class LineError extends Error {}

/**
 * sha256 fed through a 128 KB buffer: one `update` per event costs more than the hashing, and
 * concatenating strings first costs more still (flattening).
 */
class BufferedHash {
  private readonly hash = createHash('sha256');
  private readonly buf = Buffer.allocUnsafe(1 << 17);
  private pos = 0;

  add(s: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 code unit.
    if (s.length * 3 > this.buf.length - this.pos) {
      this.flush();
      if (s.length * 3 > this.buf.length) {
        this.hash.update(s);
        return;
      }
    }
    this.pos += this.buf.write(s, this.pos);
  }

  private flush(): void {
    if (this.pos > 0) this.hash.update(this.buf.subarray(0, this.pos));
    this.pos = 0;
  }

  digest(): string {
    this.flush();
    return this.hash.digest('hex');
  }
}

/** Could this code unit be Python whitespace? (cheap pre-check before the strip regex) */
function maybeSpace(c: number): boolean {
  return c <= 0x20 || c === 0x85 || c === 0xa0 || c >= 0x1680;
}

/**
 * Call `onLine(stripped, lineNo)` for every non-blank line. Lines end at \n, \r or \r\n (Python's
 * universal newlines); blank lines produce nothing, so splitting on each of \r and \n is the same.
 */
async function forEachLine(file: string, onLine: (line: string, lineNo: number) => void): Promise<void> {
  const handle = await fs.promises.open(file, 'r');
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const buf = Buffer.allocUnsafe(CHUNK);
  let rest = '';
  let lineNo = 0;
  const emit = (raw: string) => {
    lineNo++;
    // Strip only when an end may be whitespace (the regex is the slow part of a plain line).
    const line = raw.length > 0 && (maybeSpace(raw.charCodeAt(0)) || maybeSpace(raw.charCodeAt(raw.length - 1))) ? raw.replace(PY_STRIP, '') : raw;
    if (line !== '') onLine(line, lineNo);
  };
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, CHUNK, null);
      let text: string;
      try {
        text = bytesRead === 0 ? decoder.decode() : decoder.decode(buf.subarray(0, bytesRead), { stream: true });
      } catch {
        throw new LineError(`not valid UTF-8 (after line ${lineNo})`);
      }
      text = rest + text;
      let start = 0;
      for (;;) {
        const nl = text.indexOf('\n', start);
        if (nl === -1) break;
        let line = text.slice(start, nl);
        if (line.endsWith('\r')) line = line.slice(0, -1); // \r\n
        // A lone \r also ends a line (universal newlines).
        if (line.includes('\r')) for (const piece of line.split('\r')) emit(piece);
        else emit(line);
        start = nl + 1;
      }
      rest = text.slice(start);
      if (bytesRead === 0) break;
    }
    if (rest !== '') for (const piece of rest.split('\r')) emit(piece);
  } finally {
    await handle.close();
  }
}

async function guard<T>(file: string, body: () => Promise<T>): Promise<T | { kind: 'missing' } | { kind: 'error'; message: string }> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof LineError) return { kind: 'error', message: err.message };
    if (err instanceof PyJsonError) return { kind: 'error', message: err.message };
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing' };
    if (code !== undefined) return { kind: 'error', message: ioProblem(err) };
    throw err;
  }
}

export async function executionLogHash(file: string): Promise<LogHashResult> {
  return guard(file, async () => {
    const hash = new BufferedHash();
    hash.add('[');
    let n = 0;
    await forEachLine(file, (line, lineNo) => {
      if (line.charCodeAt(0) !== 0x7b) throw new LineError(`line ${lineNo}: not a JSON object`);
      let canon: string;
      try {
        canon = canonicalPy(line, DROP);
      } catch (err) {
        if (err instanceof PyJsonError) throw new LineError(`line ${lineNo}: not valid JSON (${err.message})`);
        throw err;
      }
      // Only \u escapes can produce a lone surrogate; Python cannot encode one to UTF-8 at all.
      if (line.includes('\\u') && LONE_SURROGATE.test(canon)) throw new LineError(`line ${lineNo}: a lone surrogate escape cannot be encoded as UTF-8`);
      if (n > 0) hash.add(', ');
      hash.add(canon);
      n++;
    });
    hash.add(']');
    return { kind: 'ok' as const, hash: hash.digest() };
  });
}

/** The events of a log (the harness's `_load_events`); lines that do not parse are reported. */
export async function loadEvents(file: string): Promise<{ events: PyValue[]; problem: string | null }> {
  const events: PyValue[] = [];
  const r = await guard(file, async () => {
    await forEachLine(file, (line, lineNo) => {
      try {
        events.push(parsePy(line));
      } catch (err) {
        if (err instanceof PyJsonError) throw new LineError(`line ${lineNo}: not valid JSON (${err.message})`);
        throw err;
      }
    });
    return { kind: 'ok' as const };
  });
  if (r.kind === 'error') return { events, problem: r.message };
  return { events, problem: null };
}
