/**
 * How a recorded value compares with a literal. The rules, in order:
 * - a missing value (null, absent key) makes every comparison unknown (SQL null semantics);
 *   only `is null` / `is not null` see it;
 * - objects and arrays compare with nothing (unknown);
 * - instants (time fields, date literals) compare as points in time;
 * - a number and a text that reads as a decimal number compare as numbers ("3" = 3);
 * - otherwise `=` and `!=` compare as text (so 'gpt' != 5 is true), while `<` `<=` `>` `>=`
 *   between a number and a non-numeric text, or on booleans, are unknown.
 */
import type { Literal } from './ast.js';
import { timeValueMs } from './dates.js';
import type { ComparisonOp } from './lexer.js';

/** Three-valued logic: null = unknown. */
export type Truth = boolean | null;

const DECIMAL_RE = /^\s*-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

export function numericText(s: string): number | null {
  return DECIMAL_RE.test(s) ? Number(s) : null;
}

type Order = (a: number | string, b: number | string) => boolean;
export const ORDER_OPS: Readonly<Record<ComparisonOp, Order>> = {
  '=': (a, b) => a === b,
  '!=': (a, b) => a !== b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

const isEquality = (op: ComparisonOp) => op === '=' || op === '!=';

/** The value is missing or structured: unknown for every comparison. */
function unknownValue(v: unknown): boolean {
  return v === null || v === undefined || typeof v === 'object';
}

/** Canonical ISO instants (as runr writes them) compare correctly as text; others are parsed. */
function isCanonicalIso(v: string): boolean {
  return v.length === 24 && v.charCodeAt(23) === 90 /* Z */ && v.charCodeAt(10) === 84 /* T */ && v.charCodeAt(19) === 46; /* . */
}

export type ValueTest = (v: unknown) => Truth;

/** Compile `value <op> literal` into a test of one value. */
export function compareTest(op: ComparisonOp, lit: Literal, forceTime: boolean): ValueTest {
  const apply = ORDER_OPS[op];
  if (lit.kind === 'date' || forceTime) {
    const L = lit.kind === 'date' ? lit.value : Number.NaN;
    const d = new Date(L);
    const iso = Number.isNaN(L) || d.getUTCFullYear() < 0 || d.getUTCFullYear() > 9999 ? null : d.toISOString();
    return (v) => {
      if (typeof v === 'string') {
        if (iso !== null && isCanonicalIso(v)) return apply(v, iso);
        const ms = Date.parse(v);
        return Number.isNaN(ms) ? null : apply(ms, L);
      }
      if (typeof v === 'number') {
        const ms = timeValueMs(v);
        return Number.isNaN(ms) ? null : apply(ms, L);
      }
      return null;
    };
  }
  switch (lit.kind) {
    case 'number': {
      const L = lit.value;
      return (v) => {
        if (typeof v === 'number') return apply(v, L);
        if (typeof v === 'string') {
          const n = numericText(v);
          if (n !== null) return apply(n, L);
          return isEquality(op) ? op === '!=' : null;
        }
        if (typeof v === 'boolean') return isEquality(op) ? op === '!=' : null;
        return null;
      };
    }
    case 'string': {
      const L = lit.value;
      const Ln = numericText(L);
      return (v) => {
        if (typeof v === 'string') return apply(v, L);
        if (typeof v === 'number') {
          if (Ln !== null) return apply(v, Ln);
          return isEquality(op) ? op === '!=' : null;
        }
        if (typeof v === 'boolean') return isEquality(op) ? apply(String(v), L) : null;
        return null;
      };
    }
    case 'bool': {
      const L = lit.value;
      const Ls = String(L);
      return (v) => {
        if (unknownValue(v)) return null;
        if (!isEquality(op)) return null;
        if (typeof v === 'boolean') return apply(v ? 1 : 0, L ? 1 : 0);
        if (typeof v === 'string') return apply(v, Ls);
        return op === '!=';
      };
    }
  }
}

/** SQL LIKE: `%` any run of characters, `_` one character, `\` escapes the next one. */
export function likeRegExp(pattern: string, insensitive: boolean): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\' && i + 1 < pattern.length) {
      re += escapeRe(pattern[++i] as string);
    } else if (c === '%') re += '.*';
    else if (c === '_') re += '.';
    else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`, insensitive ? 'is' : 's');
}

function escapeRe(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}

export function likeTest(pattern: string, insensitive: boolean): ValueTest {
  const re = likeRegExp(pattern, insensitive);
  return (v) => {
    if (typeof v === 'string') return re.test(v);
    if (typeof v === 'number' || typeof v === 'boolean') return re.test(String(v));
    return null;
  };
}
