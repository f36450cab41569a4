/**
 * A JSON reader that behaves like Python's `json.loads` (the C scanner): ints become bigint and
 * floats number (see pyvalue.ts), `NaN`/`Infinity`/`-Infinity` are accepted, control characters
 * inside strings are rejected (strict mode), a duplicate key keeps its first position and its last
 * value. Two outputs: a value tree (`parsePy`), or, for hashing, the canonical text of the value as
 * `json.dumps(sort_keys=True, ensure_ascii=False)` would print it (`canonicalPy`), built in the same
 * pass without a tree.
 */
import type { PyDict, PyValue } from './pyvalue.js';
import { pyJsonFloat } from './pyfloat.js';
import { compareCodePoints, pyJsonString } from './pyjson-dumps.js';

export class PyJsonError extends Error {
  override readonly name = 'PyJsonError';
  constructor(
    readonly problem: string,
    readonly pos: number,
  ) {
    super(`${problem} (char ${pos})`);
  }
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

class Reader {
  i = 0;
  constructor(readonly s: string) {}

  fail(problem: string, at = this.i): never {
    throw new PyJsonError(problem, at);
  }

  ws(): void {
    const s = this.s;
    while (this.i < s.length && WS.has(s.charCodeAt(this.i))) this.i++;
  }

  end(): void {
    this.ws();
    if (this.i !== this.s.length) this.fail('Extra data');
  }

  /** A string token; returns the decoded text. */
  str(): string {
    const s = this.s;
    const start = this.i + 1;
    const end = this.plainEnd();
    if (end !== -1) return s.slice(start, end - 1);
    return this.escaped(start);
  }

  /**
   * A string token in canonical output form. A string without escapes needs none on output either
   * (no quote, backslash or control character can be in it), so its source text is reused as is.
   */
  strCanonical(): string {
    const start = this.i;
    const end = this.plainEnd();
    if (end !== -1) return this.s.slice(start, end);
    return pyJsonString(this.escaped(start + 1));
  }

  /** If the string at `this.i` has no escapes, consume it and return the index after its closing quote; else -1. */
  plainEnd(): number {
    const s = this.s;
    const start = this.i + 1;
    let i = start;
    for (;;) {
      if (i >= s.length) this.fail('Unterminated string starting at', start - 1);
      const c = s.charCodeAt(i);
      if (c === 0x22) {
        this.i = i + 1;
        return i + 1;
      }
      if (c === 0x5c) return -1;
      if (c < 0x20) this.fail('Invalid control character at', i);
      i++;
    }
  }

  /** Decode a string with escapes whose text starts at `start` (after the opening quote). */
  escaped(start: number): string {
    const s = this.s;
    let i = s.indexOf('\\', start);
    for (let j = start; j < i; j++) if (s.charCodeAt(j) < 0x20) this.fail('Invalid control character at', j);
    let out = s.slice(start, i);
    for (;;) {
      if (i >= s.length) this.fail('Unterminated string starting at', start - 1);
      const c = s.charCodeAt(i);
      if (c === 0x22) {
        this.i = i + 1;
        return out;
      }
      if (c < 0x20) this.fail('Invalid control character at', i);
      if (c !== 0x5c) {
        out += s[i];
        i++;
        continue;
      }
      const e = s[i + 1];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          const hex = s.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('Invalid \\uXXXX escape', i);
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
          continue;
        }
        default:
          this.fail('Invalid \\escape', i);
      }
      i += 2;
    }
  }

  /** A number token at `this.i`: [text, isFloat]. */
  num(): [string, boolean] {
    const s = this.s;
    const start = this.i;
    let i = start;
    if (s.charCodeAt(i) === 0x2d) i++;
    const d0 = s.charCodeAt(i);
    if (d0 === 0x30) i++;
    else if (d0 >= 0x31 && d0 <= 0x39) {
      while (isDigit(s.charCodeAt(i))) i++;
    } else this.fail('Expecting value', start);
    let isFloat = false;
    if (s.charCodeAt(i) === 0x2e && isDigit(s.charCodeAt(i + 1))) {
      isFloat = true;
      i += 2;
      while (isDigit(s.charCodeAt(i))) i++;
    }
    const e = s.charCodeAt(i);
    if (e === 0x65 || e === 0x45) {
      let j = i + 1;
      const sign = s.charCodeAt(j);
      if (sign === 0x2b || sign === 0x2d) j++;
      if (isDigit(s.charCodeAt(j))) {
        while (isDigit(s.charCodeAt(j))) j++;
        isFloat = true;
        i = j;
      }
    }
    this.i = i;
    return [s.slice(start, i), isFloat];
  }

  /** `NaN`, `Infinity`, `-Infinity`, `true`, `false`, `null` at `this.i`, or null. */
  literal(): 'NaN' | 'Infinity' | '-Infinity' | 'true' | 'false' | 'null' | null {
    const s = this.s;
    for (const lit of ['null', 'true', 'false', 'NaN', 'Infinity', '-Infinity'] as const) {
      if (s.startsWith(lit, this.i)) {
        this.i += lit.length;
        return lit;
      }
    }
    return null;
  }

  /** Read a value into a tree. */
  value(depth: number): PyValue {
    if (depth > 1000) this.fail('Nesting too deep');
    this.ws();
    const c = this.s.charCodeAt(this.i);
    if (c === 0x22) return this.str();
    if (c === 0x7b) {
      this.i++;
      const d: PyDict = new Map();
      this.members(() => {
        const k = this.str();
        this.colon();
        d.set(k, this.value(depth + 1));
      });
      return d;
    }
    if (c === 0x5b) {
      this.i++;
      const a: PyValue[] = [];
      this.items(() => a.push(this.value(depth + 1)));
      return a;
    }
    const lit = this.literal();
    switch (lit) {
      case 'null': return null;
      case 'true': return true;
      case 'false': return false;
      case 'NaN': return NaN;
      case 'Infinity': return Infinity;
      case '-Infinity': return -Infinity;
      case null: break;
    }
    const [text, isFloat] = this.num();
    return isFloat ? Number(text) : BigInt(text);
  }

  /** Read a value straight into its canonical `json.dumps(sort_keys=True, ensure_ascii=False)` text. */
  canonical(depth: number, dropKeys: ReadonlySet<string> | null): string {
    if (depth > 1000) this.fail('Nesting too deep');
    this.ws();
    const c = this.s.charCodeAt(this.i);
    if (c === 0x22) return this.strCanonical();
    if (c === 0x7b) {
      this.i++;
      const d = new Map<string, string>();
      this.members(() => {
        const k = this.str();
        this.colon();
        const v = this.canonical(depth + 1, null);
        if (dropKeys === null || !dropKeys.has(k)) d.set(k, v);
      });
      if (d.size === 0) return '{}';
      const keys = [...d.keys()].sort(compareCodePoints);
      let out = '{';
      for (let n = 0; n < keys.length; n++) {
        const k = keys[n] as string;
        out += `${n === 0 ? '' : ', '}${pyJsonString(k)}: ${d.get(k) as string}`;
      }
      return `${out}}`;
    }
    if (c === 0x5b) {
      this.i++;
      const parts: string[] = [];
      this.items(() => parts.push(this.canonical(depth + 1, null)));
      return `[${parts.join(', ')}]`;
    }
    const lit = this.literal();
    switch (lit) {
      case 'null':
      case 'true':
      case 'false':
        return lit;
      case 'NaN': return 'NaN';
      case 'Infinity': return 'Infinity';
      case '-Infinity': return '-Infinity';
      case null: break;
    }
    const [text, isFloat] = this.num();
    if (isFloat) return pyJsonFloat(Number(text));
    return text === '-0' ? '0' : text;
  }

  colon(): void {
    this.ws();
    if (this.s.charCodeAt(this.i) !== 0x3a) this.fail("Expecting ':' delimiter");
    this.i++;
  }

  /** Object members after `{`; `one` reads `"key": value` starting at the key's quote. */
  members(one: () => void): void {
    this.ws();
    if (this.s.charCodeAt(this.i) === 0x7d) {
      this.i++;
      return;
    }
    for (;;) {
      this.ws();
      if (this.s.charCodeAt(this.i) !== 0x22) this.fail('Expecting property name enclosed in double quotes');
      one();
      this.ws();
      const c = this.s.charCodeAt(this.i);
      if (c === 0x7d) {
        this.i++;
        return;
      }
      if (c !== 0x2c) this.fail("Expecting ',' delimiter");
      this.i++;
    }
  }

  /** Array items after `[`. */
  items(one: () => void): void {
    this.ws();
    if (this.s.charCodeAt(this.i) === 0x5d) {
      this.i++;
      return;
    }
    for (;;) {
      one();
      this.ws();
      const c = this.s.charCodeAt(this.i);
      if (c === 0x5d) {
        this.i++;
        return;
      }
      if (c !== 0x2c) this.fail("Expecting ',' delimiter");
      this.i++;
    }
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** `json.loads(text)`. Throws PyJsonError. */
export function parsePy(text: string): PyValue {
  const r = new Reader(text);
  const v = r.value(0);
  r.end();
  return v;
}

/**
 * The canonical text of one JSON document, as Python would print `json.loads(text)` with
 * `json.dumps(..., sort_keys=True, ensure_ascii=False)`. `dropKeys` are removed from the top-level
 * object (the harness drops `ts_utc` and `event_id` before hashing). Throws PyJsonError.
 */
export function canonicalPy(text: string, dropKeys: ReadonlySet<string> | null = null): string {
  const r = new Reader(text);
  const v = r.canonical(0, dropKeys);
  r.end();
  return v;
}
