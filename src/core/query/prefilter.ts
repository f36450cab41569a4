/**
 * A cheap necessary condition on the JSON text of one manifest entry, so that `runr find` only
 * parses the lines that could match. It must never reject a line that matches (false positives are
 * fine: matching lines are parsed and evaluated exactly).
 *
 * How: a predicate on a field can only be true when the line holds that field's key, `"status":`,
 * followed by a value that passes the predicate's own test. So for each occurrence of the key in
 * the line, the scalar after it is read (a string up to the next quote, a number, true, false,
 * null; `{` or `[` count as "structured") and tested with the very test the compiled query uses. An
 * occurrence elsewhere (a `params.status`) can only add false positives, never lose a match.
 *
 * Why reading strings up to the next quote is exact: JSON text has no unescaped quote inside a
 * string, and lines with a backslash (any escape) skip the prefilter altogether. Whitespace around
 * the colon is allowed. `not`, `is null`, and derived fields (duration_s, total_tokens) give no
 * condition; `or` gives one only when both sides do.
 */
import type { Expr } from './ast.js';
import type { FieldRef } from './fields.js';
import { topFieldKey } from './fields.js';
import type { ValueTest } from './values.js';
import { compareTest, likeTest } from './values.js';

export type LinePrefilter = (line: string) => boolean;

export interface Prefilters {
  /** Safe on any line. */
  guarded: LinePrefilter;
  /** Only for lines known to hold no backslash (e.g. the whole file has none): skips that check. */
  plain: LinePrefilter;
}

type Need = { k: 'any' } | { k: 'occ'; keys: string[]; test: (v: unknown) => boolean } | { k: 'all' | 'some'; parts: Need[] };

const ANY: Need = { k: 'any' };
/** Stands for an object or array value: every test treats it as unknown. */
const STRUCTURED: object = Object.freeze({});

function all(parts: Need[]): Need {
  const kept = parts.filter((p) => p.k !== 'any');
  if (kept.length === 0) return ANY;
  return kept.length === 1 ? (kept[0] as Need) : { k: 'all', parts: kept };
}

function some(parts: Need[]): Need {
  if (parts.length === 0 || parts.some((p) => p.k === 'any')) return ANY;
  return parts.length === 1 ? (parts[0] as Need) : { k: 'some', parts };
}

/** The JSON keys that can hold the field's value, or null (derived fields). */
function keysOf(f: FieldRef): string[] | null {
  if (f.group === null) {
    const k = topFieldKey(f.name);
    return k === null ? null : [String(k)];
  }
  const last = f.segments[f.segments.length - 1] ?? '';
  return f.segments.length === 1 ? [last] : [f.segments.join('.'), last];
}

function occ(f: FieldRef, test: (v: unknown) => boolean): Need {
  const keys = keysOf(f);
  return keys === null ? ANY : { k: 'occ', keys: keys.map((k) => JSON.stringify(k)), test };
}

const isWs = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;
/** Characters of a JSON number: digits, `-`, `+`, `.`, `e`, `E`. */
const isNumberChar = (c: number) => (c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46 || c === 101 || c === 69;

/** The scalar after `"key"` at `from` (just past the key), or undefined when no colon follows (a string value, not a key). */
function valueAt(line: string, from: number): unknown {
  let p = from;
  while (p < line.length && isWs(line.charCodeAt(p))) p++;
  if (line[p] !== ':') return undefined;
  p++;
  while (p < line.length && isWs(line.charCodeAt(p))) p++;
  const c = line[p];
  if (c === '"') {
    const end = line.indexOf('"', p + 1);
    return end < 0 ? undefined : line.slice(p + 1, end);
  }
  if (c === '{' || c === '[') return STRUCTURED;
  if (c === 't') return line.startsWith('true', p) ? true : undefined;
  if (c === 'f') return line.startsWith('false', p) ? false : undefined;
  if (c === 'n') return line.startsWith('null', p) ? null : undefined;
  let q = p;
  while (q < line.length && isNumberChar(line.charCodeAt(q))) q++;
  return q > p ? Number(line.slice(p, q)) : undefined;
}

function need(expr: Expr): Need {
  switch (expr.type) {
    case 'and':
      return all([need(expr.left), need(expr.right)]);
    case 'or':
      return some([need(expr.left), need(expr.right)]);
    case 'not':
      return ANY;
    case 'null':
      return expr.negated ? occ(expr.field, (v) => v !== null && v !== undefined) : ANY;
    case 'cmp': {
      const t = compareTest(expr.op, expr.value, expr.field.type === 'time');
      return occ(expr.field, (v) => t(v) === true);
    }
    case 'in': {
      const tests: ValueTest[] = expr.values.map((l) => compareTest('=', l, expr.field.type === 'time'));
      return expr.negated ? occ(expr.field, (v) => tests.every((t) => t(v) === false)) : occ(expr.field, (v) => tests.some((t) => t(v) === true));
    }
    case 'like': {
      const t = likeTest(expr.pattern, expr.insensitive);
      return occ(expr.field, expr.negated ? (v) => t(v) === false : (v) => t(v) === true);
    }
  }
}

function toFn(n: Need): LinePrefilter {
  switch (n.k) {
    case 'any':
      return () => true;
    case 'occ': {
      const { keys, test } = n;
      return (line) => {
        for (let k = 0; k < keys.length; k++) {
          const key = keys[k] as string;
          for (let at = line.indexOf(key); at >= 0; at = line.indexOf(key, at + key.length)) {
            const v = valueAt(line, at + key.length);
            if (v !== undefined && test(v)) return true;
          }
        }
        return false;
      };
    }
    case 'all': {
      const fns = n.parts.map(toFn);
      return (line) => fns.every((f) => f(line));
    }
    case 'some': {
      const fns = n.parts.map(toFn);
      return (line) => fns.some((f) => f(line));
    }
  }
}

export function buildPrefilter(expr: Expr): Prefilters {
  const n = need(expr);
  if (n.k === 'any') return { guarded: () => true, plain: () => true };
  const f = toFn(n);
  return { guarded: (line) => line.includes('\\') || f(line), plain: f };
}
