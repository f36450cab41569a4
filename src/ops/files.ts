/**
 * Reading the harness's JSON files as Python's `json.load` would (int/float kept apart), without
 * ever throwing for a bad file: every outcome is data, so one broken run never aborts the others.
 */
import fs from 'node:fs';
import type { PyDict, PyValue } from '../core/ops/pyvalue.js';
import { isDict } from '../core/ops/pyvalue.js';
import { parsePy, PyJsonError } from '../core/ops/pyjson-parse.js';

export type ReadResult<T> = { kind: 'ok'; value: T } | { kind: 'missing' } | { kind: 'error'; message: string };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Text as Python's `open(path, encoding="utf-8").read()` gives it (a BOM is kept; bad UTF-8 is an error). */
export function decodeUtf8(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

export function ioProblem(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory, expected a file';
    case 'ENOENT':
      return 'file not found';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

export function readPyJson(file: string): ReadResult<PyValue> {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'error', message: ioProblem(err) };
  }
  let text: string;
  try {
    text = decodeUtf8(bytes);
  } catch {
    return { kind: 'error', message: 'not valid UTF-8' };
  }
  try {
    return { kind: 'ok', value: parsePy(text) };
  } catch (err) {
    if (err instanceof PyJsonError) return { kind: 'error', message: `not valid JSON (${err.message})` };
    throw err;
  }
}

/** A JSON object file; missing reads as `{}` (the harness's `_load_json`). */
export function readPyDict(file: string): ReadResult<PyDict> {
  const r = readPyJson(file);
  if (r.kind !== 'ok') return r;
  if (!isDict(r.value)) return { kind: 'error', message: 'not a JSON object' };
  return { kind: 'ok', value: r.value };
}

/** Like readPyDict, but `{}` for missing and for errors (report inputs; errors are reported elsewhere). */
export function readPyDictOrEmpty(file: string): PyDict {
  const r = readPyDict(file);
  return r.kind === 'ok' ? r.value : new Map<string, PyValue>();
}
