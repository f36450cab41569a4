/**
 * A cheap necessary condition on the JSON text of one manifest entry, so that `runr find` only
 * parses the lines that could match. It must never reject a line that matches (false positives
 * are fine: matching lines are parsed and evaluated exactly).
 *
 * Why substring tests are sound: in JSON text without a backslash, a string value or key K appears
 * literally as `"K"` — any escape needs a backslash, so lines containing one skip the prefilter.
 * Whitespace between tokens does not matter because we only look for whole quoted strings.
 * - `status = 'PASSED'`: a top-level text field holds a string (the reader checks that), so the
 *   line contains `"PASSED"`.
 * - `params.seed > 3`: a comparison is only true when the value exists, so the key `"seed"` is in
 *   the line (for `params.a.b`: the flat key `"a.b"` or the nested key `"b"`).
 * - `params.model = 'gpt'`: a non-numeric text only equals the same text, so `"gpt"` is there too.
 * - `not`, `or` with an unfiltered side, `!=` on top-level fields, times: no condition.
 */
import type { Expr, Literal } from './ast.js';
import type { FieldRef } from './fields.js';
import { numericText } from './values.js';

export type LinePrefilter = (line: string) => boolean;

type Need = { k: 'any' } | { k: 'token'; t: string } | { k: 'all' | 'some'; parts: Need[] };

const ANY: Need = { k: 'any' };

function all(parts: Need[]): Need {
  const kept = parts.filter((p) => p.k !== 'any');
  if (kept.length === 0) return ANY;
  return kept.length === 1 ? (kept[0] as Need) : { k: 'all', parts: kept };
}

function some(parts: Need[]): Need {
  if (parts.length === 0 || parts.some((p) => p.k === 'any')) return ANY;
  return parts.length === 1 ? (parts[0] as Need) : { k: 'some', parts };
}

const quoted = (s: string): Need => ({ k: 'token', t: JSON.stringify(s) });

/** The key(s) a params/metrics/tags field needs in the line. */
function keyPresence(f: FieldRef): Need {
  if (f.group === null) return ANY;
  const last = f.segments[f.segments.length - 1] ?? '';
  if (f.segments.length === 1) return quoted(last);
  return some([quoted(f.segments.join('.')), quoted(last)]);
}

/** A literal whose match implies the value is exactly this text. */
function exactText(f: FieldRef, lit: Literal): string | null {
  if (lit.kind !== 'string' || f.type === 'time') return null;
  // Top-level text fields always hold strings; elsewhere a numeric or boolean-looking text may match a number or a boolean.
  if (f.group === null) return f.type === 'text' ? lit.value : null;
  if (numericText(lit.value) !== null || lit.value === 'true' || lit.value === 'false') return null;
  return lit.value;
}

/** The longest run of literal characters in a LIKE pattern. */
function longestLiteralRun(pattern: string): string {
  let best = '';
  let cur = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\' && i + 1 < pattern.length) cur += pattern[++i];
    else if (c === '%' || c === '_') {
      if (cur.length > best.length) best = cur;
      cur = '';
    } else cur += c;
  }
  return cur.length > best.length ? cur : best;
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
      return expr.negated ? keyPresence(expr.field) : ANY;
    case 'cmp': {
      const text = expr.op === '=' ? exactText(expr.field, expr.value) : null;
      return all([keyPresence(expr.field), text !== null ? quoted(text) : ANY]);
    }
    case 'in': {
      if (expr.negated) return keyPresence(expr.field);
      const texts = expr.values.map((v) => exactText(expr.field, v));
      const values = texts.every((t) => t !== null) ? some(texts.map((t) => quoted(t as string))) : ANY;
      return all([keyPresence(expr.field), values]);
    }
    case 'like': {
      if (expr.negated || expr.insensitive || expr.field.group !== null || expr.field.type !== 'text') return keyPresence(expr.field);
      const run = longestLiteralRun(expr.pattern);
      // The run sits inside the value's JSON string, so only the bare text (no quotes) is certain.
      return run.length >= 2 ? { k: 'token', t: JSON.stringify(run).slice(1, -1) } : ANY;
    }
  }
}

function toFn(n: Need): LinePrefilter {
  switch (n.k) {
    case 'any':
      return () => true;
    case 'token': {
      const t = n.t;
      return (line) => line.includes(t);
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

export function buildPrefilter(expr: Expr): LinePrefilter {
  const n = need(expr);
  if (n.k === 'any') return () => true;
  const f = toFn(n);
  return (line) => line.includes('\\') || f(line);
}
