/**
 * The Python-compatible JSON layer against vectors produced by CPython itself
 * (test/fixtures/ops/pyjson-vectors.json: repr, format(.0f/.2f/.4f), json.dumps, repr of values).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pyFloatRepr, pyFormatFixed } from '../../src/core/ops/pyfloat.js';
import { canonicalPy, parsePy, PyJsonError } from '../../src/core/ops/pyjson-parse.js';
import { compareCodePoints, dumpsPy, pyJsonString } from '../../src/core/ops/pyjson-dumps.js';
import { pyRepr, pyStrRepr } from '../../src/core/ops/pyrepr.js';

interface Vectors {
  floats: Array<{ hex: string; repr: string; f0: string; f2: string; f4: string }>;
  strings: Array<{ s: string; repr: string; json: string }>;
  docs: Array<{ text: string; canonical: string; repr: string }>;
  bad: Array<{ text: string; ok: boolean }>;
}
const vectors = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../fixtures/ops/pyjson-vectors.json'), 'utf8')) as Vectors;

/** Python's float.hex() → number (exact: mantissa as an integer, scaled in two steps for subnormals). */
function fromPyHex(h: string): number {
  const m = /^(-?)0x([01])\.([0-9a-f]+)p([+-]\d+)$/.exec(h);
  if (!m) throw new Error(`bad hex ${h}`);
  const [, sign, lead, frac, exp] = m as unknown as [string, string, string, string, string];
  const mant = Number(BigInt(`0x${lead}${frac}`));
  const e = Number(exp) - 4 * frac.length;
  const v = mant * 2 ** Math.max(e, -1000) * 2 ** Math.min(e + 1000, 0);
  return sign === '-' ? -v : v;
}

describe('Python float formatting', () => {
  it(`repr matches CPython on ${vectors.floats.length} values`, () => {
    const wrong = vectors.floats.filter((f) => pyFloatRepr(fromPyHex(f.hex)) !== f.repr);
    expect(wrong).toEqual([]);
  });
  it('format .0f/.2f/.4f matches CPython (ties to even on the exact value)', () => {
    const wrong = vectors.floats.filter((f) => {
      const x = fromPyHex(f.hex);
      return pyFormatFixed(x, 0) !== f.f0 || pyFormatFixed(x, 2) !== f.f2 || pyFormatFixed(x, 4) !== f.f4;
    });
    expect(wrong).toEqual([]);
    expect(pyFormatFixed(0.5, 0)).toBe('0');
    expect(pyFormatFixed(2.5, 0)).toBe('2');
    expect(pyFormatFixed(0n, 4)).toBe('0.0000');
  });
});

describe('Python strings', () => {
  it('repr and json escapes match CPython', () => {
    for (const s of vectors.strings) {
      expect(pyStrRepr(s.s), JSON.stringify(s.s)).toBe(s.repr);
      expect(pyJsonString(s.s), JSON.stringify(s.s)).toBe(s.json);
    }
  });
  it('sorts keys by code point, not by UTF-16 unit', () => {
    expect(['\u{1F600}', '\uff01', 'a'].sort(compareCodePoints)).toEqual(['a', '\uff01', '\u{1F600}']);
  });
});

describe('json.loads + json.dumps(sort_keys=True, ensure_ascii=False)', () => {
  it(`canonical text matches CPython on ${vectors.docs.length} documents`, () => {
    for (const d of vectors.docs) {
      expect(canonicalPy(d.text), d.text).toBe(d.canonical);
      expect(dumpsPy(parsePy(d.text)), d.text).toBe(d.canonical);
    }
  });
  it('repr of parsed values matches CPython (dict order kept, int vs float kept)', () => {
    for (const d of vectors.docs) expect(pyRepr(parsePy(d.text)), d.text).toBe(d.repr);
  });
  it('accepts and rejects the same texts as CPython', () => {
    for (const b of vectors.bad) {
      let ok = true;
      try {
        parsePy(b.text);
      } catch (err) {
        expect(err).toBeInstanceOf(PyJsonError);
        ok = false;
      }
      expect(ok, b.text).toBe(b.ok);
    }
  });
  it('drops the given top-level keys only', () => {
    expect(canonicalPy('{"ts_utc": 1, "b": {"ts_utc": 2}, "a": 1.0}', new Set(['ts_utc']))).toBe('{"a": 1.0, "b": {"ts_utc": 2}}');
  });
});
