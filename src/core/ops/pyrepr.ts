/**
 * Python's `repr()` and `str()` of values read from JSON. Reports written by the harness print
 * dicts, lists, tuples and numbers through f-strings, so these leak into the report text
 * (`{'case_id': 'benign_01', 'parse_fail': True}`, `['1.4', '1.4']`, `0.9607844999999999`).
 */
import type { PyValue } from './pyvalue.js';
import { PyTuple } from './pyvalue.js';
import { pyFloatRepr } from './pyfloat.js';

// Python's str.isprintable() is false for these general categories (space excepted).
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;
// eslint-disable-next-line no-control-regex -- control characters are exactly what repr escapes
const NEEDS_WORK = /['\\\u0000-\u001f\u007f-\uffff]/;

/** Python `repr(str)`. */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  if (!NEEDS_WORK.test(s)) return `${quote}${s}${quote}`;
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${hex(cp, 2)}`;
    else if (cp < 0x7f) out += ch;
    else if (ch !== ' ' && NON_PRINTABLE.test(ch)) {
      if (cp <= 0xff) out += `\\x${hex(cp, 2)}`;
      else if (cp <= 0xffff) out += `\\u${hex(cp, 4)}`;
      else out += `\\U${hex(cp, 8)}`;
    } else out += ch;
  }
  return `${out}${quote}`;
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** Python `repr(value)`. */
export function pyRepr(value: PyValue | undefined): string {
  if (value === undefined || value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return pyFloatRepr(value);
  if (typeof value === 'string') return pyStrRepr(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (value instanceof PyTuple) {
    const items = value.items.map(pyRepr);
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
  }
  return `{${[...value.entries()].map(([k, v]) => `${pyStrRepr(k)}: ${pyRepr(v)}`).join(', ')}}`;
}

/** Python `str(value)` (what an f-string `{value}` prints): strings as they are, the rest as repr. */
export function pyStr(value: PyValue | undefined): string {
  return typeof value === 'string' ? value : pyRepr(value);
}
