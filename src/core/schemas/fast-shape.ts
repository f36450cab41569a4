/**
 * A few hand-written checks with the semantics of the zod schemas they stand for (zod 4: loose
 * objects, arrays, string-keyed records, enums, nullable, optional, string regex, number int /
 * positive / nonnegative). Why: building a zod schema is costly at start-up (each node is a class
 * instance with dozens of closures; RunRecordSchema is ~80 of them, ~10 ms, and its first parse
 * another ~10 ms), and a short command reads one record and exits (issue 12, Deliver 5).
 *
 * A check either returns exactly the value zod's parse would (same containers made fresh, same key
 * order: the shape's keys in order, then the other keys in input order, `__proto__` dropped) or
 * NOT_PLAIN when the input is not plainly valid — invalid, or merely unusual (a class instance, a
 * symbol key, a present key holding `undefined`). The caller then parses with zod itself, so every
 * error message is zod's own. `desc` describes the check so a test can compare it with the zod
 * schema it mirrors (test/unit/run-fast.test.ts): a field added to one and not the other fails.
 */

export const NOT_PLAIN: unique symbol = Symbol('not plain');
type Result = unknown;

/** The structure of a check, in the terms a zod schema's `def` is described by in the test. */
export type ShapeDesc =
  | { t: 'string'; regex?: string }
  | { t: 'number'; int?: true; gt?: number; gte?: number }
  | { t: 'boolean' }
  | { t: 'unknown' }
  | { t: 'enum'; values: readonly string[] }
  | { t: 'nullable'; inner: ShapeDesc }
  | { t: 'array'; item: ShapeDesc }
  | { t: 'record'; value: ShapeDesc }
  | { t: 'object'; shape: Record<string, { optional: boolean; d: ShapeDesc }> };

export interface Check {
  readonly run: (v: unknown) => Result;
  readonly desc: ShapeDesc;
}

interface Field {
  readonly check: Check;
  readonly optional: boolean;
}

/** An object with Object.prototype (or none) as its prototype and no constructor of its own. */
function plain(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  return !Object.prototype.hasOwnProperty.call(v, 'constructor') || typeof (v as { constructor?: unknown }).constructor !== 'function';
}

export function str(regex?: RegExp): Check {
  if (regex !== undefined && (regex.global || regex.sticky)) throw new Error('fast-shape: a global or sticky regex keeps state between tests');
  return {
    run: (v) => (typeof v === 'string' && (regex === undefined || regex.test(v)) ? v : NOT_PLAIN),
    desc: regex === undefined ? { t: 'string' } : { t: 'string', regex: regex.source },
  };
}

export function num(opts: { int?: true; gt?: number; gte?: number } = {}): Check {
  const { int, gt, gte } = opts;
  return {
    run: (v) =>
      typeof v === 'number' && Number.isFinite(v) && (int === undefined || Number.isSafeInteger(v)) && (gt === undefined || v > gt) && (gte === undefined || v >= gte) ? v : NOT_PLAIN,
    desc: { t: 'number', ...opts },
  };
}

export const bool: Check = { run: (v) => (typeof v === 'boolean' ? v : NOT_PLAIN), desc: { t: 'boolean' } };

export const unknownValue: Check = { run: (v) => v, desc: { t: 'unknown' } };

export function oneOf(values: readonly string[]): Check {
  const set = new Set<unknown>(values);
  return { run: (v) => (set.has(v) ? v : NOT_PLAIN), desc: { t: 'enum', values } };
}

export function nullable(inner: Check): Check {
  return { run: (v) => (v === null ? null : inner.run(v)), desc: { t: 'nullable', inner: inner.desc } };
}

/** A field of an object that may be absent (zod's `.optional()`). */
export function optional(check: Check): Field {
  return { check, optional: true };
}

export function array(item: Check): Check {
  return {
    run: (v) => {
      if (!Array.isArray(v)) return NOT_PLAIN;
      const out: unknown[] = new Array<unknown>(v.length);
      for (let i = 0; i < v.length; i++) {
        const r = item.run(v[i]);
        if (r === NOT_PLAIN) return NOT_PLAIN;
        out[i] = r;
      }
      return out;
    },
    desc: { t: 'array', item: item.desc },
  };
}

/** zod's `z.record(z.string(), value)`: every own enumerable string key, `__proto__` dropped. */
export function record(value: Check): Check {
  return {
    run: (v) => {
      if (!plain(v)) return NOT_PLAIN;
      const out: Record<string, unknown> = {};
      for (const key of Reflect.ownKeys(v)) {
        if (typeof key !== 'string' || !Object.prototype.propertyIsEnumerable.call(v, key)) return NOT_PLAIN;
        if (key === '__proto__') continue;
        const r = value.run(v[key]);
        if (r === NOT_PLAIN) return NOT_PLAIN;
        out[key] = r;
      }
      return out;
    },
    desc: { t: 'record', value: value.desc },
  };
}

/** zod's `z.looseObject(shape)`; a field is a Check (required) or `optional(check)`. */
export function looseObject(shape: Record<string, Check | Field>): Check {
  const fields: [string, Field][] = Object.entries(shape).map(([k, f]) => [k, 'run' in f ? { check: f, optional: false } : f]);
  const keys = new Set(fields.map(([k]) => k));
  return {
    run: (v) => {
      if (!plain(v)) return NOT_PLAIN;
      const out: Record<string, unknown> = {};
      for (const [key, f] of fields) {
        if (!(key in v)) {
          if (f.optional) continue;
          return NOT_PLAIN;
        }
        const x = v[key];
        if (x === undefined) return NOT_PLAIN;
        const r = f.check.run(x);
        if (r === NOT_PLAIN) return NOT_PLAIN;
        out[key] = r;
      }
      for (const key in v) {
        if (keys.has(key) || key === '__proto__') continue;
        out[key] = v[key];
      }
      return out;
    },
    desc: { t: 'object', shape: Object.fromEntries(fields.map(([k, f]) => [k, { optional: f.optional, d: f.check.desc }])) },
  };
}
