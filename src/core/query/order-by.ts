/**
 * `--order-by 'metrics.loss desc, run_id'`: fields with an optional direction. Missing values sort
 * last in both directions; ties fall back to run_id so the output is stable.
 */
import type { ManifestEntry } from '../manifest/entry.js';
import { timeValueMs } from './dates.js';
import type { FieldRef } from './fields.js';
import { tokenize } from './lexer.js';
import { TokenStream } from './parser.js';
import { numericText } from './values.js';

export interface OrderKey {
  field: FieldRef;
  desc: boolean;
}

export function parseOrderBy(source: string, what = '--order-by'): OrderKey[] {
  const ts = new TokenStream(tokenize(source, what), source, what);
  const keys: OrderKey[] = [];
  if (ts.peek().kind === 'eof') ts.fail(0, "expected a field, e.g. 'metrics.loss desc'");
  for (;;) {
    const field = ts.field();
    let desc = false;
    const d = ts.peek();
    if (d.kind === 'keyword' && (d.value === 'asc' || d.value === 'desc')) {
      ts.next();
      desc = d.value === 'desc';
    }
    keys.push({ field, desc });
    const t = ts.next();
    if (t.kind === 'eof') return keys;
    if (t.kind !== 'comma') ts.failAt(t, "'asc', 'desc', ',' or the end");
  }
}

/** Rank of a value's type when two values cannot be compared directly. */
function typeRank(v: unknown): number {
  if (typeof v === 'number') return 0;
  if (typeof v === 'string') return 1;
  if (typeof v === 'boolean') return 2;
  return 3;
}

function sortValue(field: FieldRef, v: unknown): unknown {
  if (v === undefined) return null;
  if (field.type === 'time' && v !== null) {
    const ms = timeValueMs(v);
    return Number.isNaN(ms) ? null : ms;
  }
  return v;
}

/** Compare two present values: numbers (and numeric text) numerically, text by code units. */
export function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  const an = typeof a === 'string' ? numericText(a) : typeof a === 'number' ? a : null;
  const bn = typeof b === 'string' ? numericText(b) : typeof b === 'number' ? b : null;
  if (an !== null && bn !== null) return an - bn;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const r = typeRank(a) - typeRank(b);
  if (r !== 0) return r;
  const sa = JSON.stringify(a);
  const sb = JSON.stringify(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Sort entries by the keys (decorate–sort–undecorate: each value is read once). */
export function sortEntries(entries: readonly ManifestEntry[], keys: readonly OrderKey[]): ManifestEntry[] {
  if (keys.length === 0) return entries.slice();
  const rows = entries.map((e) => ({ e, v: keys.map((k) => sortValue(k.field, k.field.get(e))) }));
  rows.sort((x, y) => {
    for (let i = 0; i < keys.length; i++) {
      const a = x.v[i];
      const b = y.v[i];
      const aNull = a === null;
      const bNull = b === null;
      if (aNull || bNull) {
        if (aNull && bNull) continue;
        return aNull ? 1 : -1;
      }
      const c = compareValues(a, b);
      if (c !== 0) return (keys[i] as OrderKey).desc ? -c : c;
    }
    return x.e.run_id < y.e.run_id ? -1 : x.e.run_id > y.e.run_id ? 1 : 0;
  });
  return rows.map((r) => r.e);
}
