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
    const line = raw.replace(PY_STRIP, '');
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
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 0x0a || c === 0x0d) {
          emit(text.slice(start, i));
          start = i + 1;
        }
      }
      rest = text.slice(start);
      if (bytesRead === 0) break;
    }
    if (rest !== '') emit(rest);
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
    const hash = createHash('sha256');
    hash.update('[');
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
      hash.update(n === 0 ? canon : `, ${canon}`);
      n++;
    });
    hash.update(']');
    return { kind: 'ok' as const, hash: hash.digest('hex') };
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
