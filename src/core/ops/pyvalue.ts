/**
 * Python values as the benchmark harness sees them after `json.load`. The int/float distinction
 * matters: `json.dumps` prints `1` for an int and `1.0` for a float, and reports print Python
 * reprs, so a value read with `JSON.parse` (which has only one number type) would hash and print
 * differently. Mapping: int → bigint (arbitrary precision, like Python), float → number,
 * dict → Map (insertion order, last duplicate key wins), list → array, None → null.
 */

/** A Python dict read from JSON: keys are always strings. */
export type PyDict = Map<string, PyValue>;

/** A Python tuple (only produced by report code, never by the JSON reader). */
export class PyTuple {
  constructor(readonly items: readonly PyValue[]) {}
}

export type PyValue = null | boolean | string | bigint | number | PyValue[] | PyDict | PyTuple;

/** A Python number: int (bigint) or float (number). */
export type PyNum = bigint | number;

export function isDict(v: PyValue | undefined): v is PyDict {
  return v instanceof Map;
}

/** `d.get(key, fallback)` for a value that may not be a dict (treated as empty, like `{}`). */
export function pyGet(d: PyValue | undefined, key: string, fallback: PyValue = null): PyValue {
  if (!isDict(d)) return fallback;
  const v = d.get(key);
  return v === undefined ? fallback : v;
}

/** Python truthiness. */
export function pyTruthy(v: PyValue | undefined): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return v !== 0n;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof PyTuple) return v.items.length > 0;
  return v.size > 0;
}

/** Python `==` for the scalar cases the harness compares (strings, numbers, None, bools). */
export function pyEquals(a: PyValue | undefined, b: PyValue | undefined): boolean {
  const an = toNumberLike(a);
  const bn = toNumberLike(b);
  if (an !== null && bn !== null) {
    if (typeof an === 'bigint' && typeof bn === 'bigint') return an === bn;
    return Number(an) === Number(bn);
  }
  if (an !== null || bn !== null) return false;
  if (a === undefined || b === undefined) return a === b;
  if (typeof a === 'string' || typeof b === 'string' || a === null || b === null) return a === b;
  return false;
}

/** Numbers and bools (a Python bool is an int) as numbers; anything else null. */
function toNumberLike(v: PyValue | undefined): PyNum | null {
  if (typeof v === 'bigint' || typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  return null;
}

/** A value used in arithmetic: bools count as ints; non-numbers count as int 0 (the original crashed). */
export function asNum(v: PyValue | undefined): PyNum {
  return toNumberLike(v) ?? 0n;
}

/** Python `a + b` on numbers: int + int stays int, anything with a float is a float. */
export function pyAdd(a: PyNum, b: PyNum): PyNum {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a + b;
  return Number(a) + Number(b);
}

/** Python `a > b` on numbers. */
export function pyGt(a: PyNum, b: PyNum): boolean {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a > b;
  return Number(a) > Number(b);
}

/** Python `sum(values)` (start 0, left to right, CPython 3.11 semantics). */
export function pySum(values: readonly PyNum[]): PyNum {
  let acc: PyNum = 0n;
  for (const v of values) acc = pyAdd(acc, v);
  return acc;
}

/** Python `max(values)`: the first of the largest values, keeping its type. */
export function pyMax(values: readonly PyNum[]): PyNum | undefined {
  let best: PyNum | undefined;
  for (const v of values) if (best === undefined || pyGt(v, best)) best = v;
  return best;
}

/** Python `len(x)`: list, str (code points), dict, tuple; 0 for values without a length (Python would raise). */
export function pyLen(v: PyValue | undefined): number {
  if (Array.isArray(v)) return v.length;
  if (typeof v === 'string') return [...v].length;
  if (v instanceof Map) return v.size;
  if (v instanceof PyTuple) return v.items.length;
  return 0;
}
