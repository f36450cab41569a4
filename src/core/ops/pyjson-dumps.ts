/**
 * Python's `json.dumps(value, sort_keys=True, ensure_ascii=False)`, byte for byte: separators
 * `", "` and `": "`, keys sorted by code point, non-ASCII kept, and Python's escapes (`\"`, `\\`,
 * `\n`, `\r`, `\t`, `\b`, `\f`, other control characters as lowercase `\u00xx`; DEL is kept).
 */
import type { PyValue } from './pyvalue.js';
import { PyTuple } from './pyvalue.js';
import { pyJsonFloat } from './pyfloat.js';

// eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;
const ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

export function pyJsonString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return `"${s}"`;
  let out = '"';
  for (const ch of s) {
    const esc = ESCAPES[ch];
    if (esc !== undefined) out += esc;
    else if (ch.charCodeAt(0) < 0x20) out += `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/**
 * Order strings by Unicode code point, as Python sorts `str`. JavaScript's `<` compares UTF-16
 * code units, which puts U+10000.. (surrogate pairs, D800–DFFF) before U+E000..U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca !== cb) return fixup(ca) - fixup(cb);
  }
  return a.length - b.length;
}

function fixup(c: number): number {
  if (c >= 0xd800 && c <= 0xdfff) return c + 0x2000;
  if (c >= 0xe000) return c - 0x800;
  return c;
}

/** `json.dumps(value, sort_keys=True, ensure_ascii=False)` (a tuple is written as a list, as Python does). */
export function dumpsPy(value: PyValue): string {
  if (value === null) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return pyJsonFloat(value);
  if (typeof value === 'string') return pyJsonString(value);
  if (Array.isArray(value)) return `[${value.map(dumpsPy).join(', ')}]`;
  if (value instanceof PyTuple) return `[${value.items.map(dumpsPy).join(', ')}]`;
  const keys = [...value.keys()].sort(compareCodePoints);
  return `{${keys.map((k) => `${pyJsonString(k)}: ${dumpsPy(value.get(k) as PyValue)}`).join(', ')}}`;
}
