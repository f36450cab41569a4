import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { RunRecordSchema } from '../../src/core/schemas/run.js';
import type { ShapeDesc } from '../../src/core/schemas/fast-shape.js';
import { NOT_PLAIN, looseObject, num, record, str, unknownValue } from '../../src/core/schemas/fast-shape.js';
import { fastRunRecord, runRecordCheck, safeParseRunRecord } from '../../src/core/schemas/run-fast.js';

const fixturesDir = path.resolve(import.meta.dirname, '..', 'fixtures');

function findRecords(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return findRecords(p);
    return e.name === 'RUN.json' ? [p] : [];
  });
}

const FIXTURES = findRecords(fixturesDir);

/** A value's structure including key order and `undefined`s, which toEqual and JSON ignore. */
function sig(v: unknown): unknown {
  if (v === undefined) return ['undefined'];
  if (Array.isArray(v)) return ['array', Object.getPrototypeOf(v) === Array.prototype, v.length, ...Array.from(v, sig)];
  if (v !== null && typeof v === 'object') return ['object', Object.getPrototypeOf(v) === Object.prototype, ...Reflect.ownKeys(v).map((k) => [String(k), sig((v as Record<PropertyKey, unknown>)[k])])];
  return v;
}

/** The fast path agrees with zod, or leaves the input to it. Returns whether it answered. */
function agrees(input: unknown): boolean {
  const fast = fastRunRecord(input);
  const zod = RunRecordSchema.safeParse(input);
  if (fast === undefined) return false;
  expect(zod.success, `fast path accepted what zod refuses: ${JSON.stringify(zod.error?.issues[0])}`).toBe(true);
  expect(sig(fast)).toEqual(sig(zod.data));
  return true;
}

const clone = (v: unknown): unknown => JSON.parse(JSON.stringify(v)) as unknown;

/** Every container and leaf of `root`, as paths. */
function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...at, i])));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
  return out;
}

function edit(root: unknown, at: (string | number)[], change: (parent: Record<string | number, unknown>, key: string | number) => void): unknown {
  const copy = clone(root);
  if (at.length === 0) return copy;
  let parent = copy as Record<string | number, unknown>;
  for (const k of at.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  change(parent, at[at.length - 1] as string | number);
  return copy;
}

const REPLACEMENTS: unknown[] = [null, 0, -1, 1.5, 2 ** 60, '', 'x', 'QUEUED', 'PASS', 'a'.repeat(64), true, false, [], {}, ['x'], { x: 1 }];

/** zod's def of a schema as a ShapeDesc, so the fast check's structure can be compared with it. */
function describeZod(schema: z.ZodType): ShapeDesc {
  const def = schema.def as unknown as Record<string, unknown> & { type: string; checks?: { _zod: { def: Record<string, unknown> } }[] };
  const checks = (def.checks ?? []).map((c) => c._zod.def);
  switch (def.type) {
    case 'string': {
      const re = checks.find((c) => c.format === 'regex');
      expect(checks.length).toBe(re === undefined ? 0 : 1);
      return re === undefined ? { t: 'string' } : { t: 'string', regex: (re.pattern as RegExp).source };
    }
    case 'number': {
      const d: { t: 'number'; int?: true; gt?: number; gte?: number } = { t: 'number' };
      for (const c of checks) {
        if (c.check === 'number_format' && c.format === 'safeint') d.int = true;
        else if (c.check === 'greater_than' && c.inclusive === true) d.gte = c.value as number;
        else if (c.check === 'greater_than') d.gt = c.value as number;
        else throw new Error(`a number check the fast path does not know: ${JSON.stringify(c)}`);
      }
      return d;
    }
    case 'boolean':
    case 'unknown':
      expect(checks).toEqual([]);
      return { t: def.type };
    case 'enum':
      return { t: 'enum', values: Object.values(def.entries as Record<string, string>) };
    case 'nullable':
      return { t: 'nullable', inner: describeZod(def.innerType as z.ZodType) };
    case 'array':
      expect(checks).toEqual([]);
      return { t: 'array', item: describeZod(def.element as z.ZodType) };
    case 'record':
      expect(describeZod(def.keyType as z.ZodType)).toEqual({ t: 'string' });
      return { t: 'record', value: describeZod(def.valueType as z.ZodType) };
    case 'object': {
      expect((def.catchall as z.ZodType | undefined)?.def.type, 'a loose object').toBe('unknown');
      const shape: Record<string, { optional: boolean; d: ShapeDesc }> = {};
      for (const [k, f] of Object.entries(def.shape as Record<string, z.ZodType>)) {
        const opt = f.def.type === 'optional';
        shape[k] = { optional: opt, d: describeZod(opt ? ((f.def as unknown as { innerType: z.ZodType }).innerType) : f) };
      }
      return { t: 'object', shape };
    }
    default:
      throw new Error(`a zod type the fast path does not know: ${def.type}`);
  }
}

describe('RUN.json fast path (run-fast.ts)', () => {
  it('mirrors RunRecordSchema field for field', () => {
    expect(runRecordCheck().desc).toEqual(describeZod(RunRecordSchema));
  });

  it('answers every record fixture, with what zod returns', () => {
    expect(FIXTURES.length).toBeGreaterThanOrEqual(6);
    for (const f of FIXTURES) {
      const raw = JSON.parse(fs.readFileSync(f, 'utf8')) as unknown;
      expect(agrees(raw), f).toBe(true);
      const r = safeParseRunRecord(raw);
      expect(r.success).toBe(true);
    }
  });

  it('never accepts what zod refuses, and returns what zod does, on malformed copies of the fixtures', () => {
    let answered = 0;
    let tried = 0;
    for (const f of FIXTURES) {
      const raw = JSON.parse(fs.readFileSync(f, 'utf8')) as unknown;
      // Every path of a small record; of a large one, an evenly spread 40 (each one costs a clone and two parses).
      const all = paths(raw);
      const stride = Math.max(1, Math.ceil(all.length / 40));
      for (const at of all.filter((_p, i) => i % stride === 0)) {
        const variants: unknown[] = [];
        if (at.length > 0) {
          variants.push(edit(raw, at, (p, k) => (Array.isArray(p) ? p.splice(k as number, 1) : delete p[k])));
          for (const r of REPLACEMENTS) variants.push(edit(raw, at, (p, k) => (p[k] = clone(r))));
        }
        variants.push(
          edit(raw, at, (p, k) => {
            const v = at.length === 0 ? p : p[k];
            if (Array.isArray(v)) v.push(v[0] ?? 'x', 7);
            else if (v !== null && typeof v === 'object') Object.assign(v, { extra_field: { nested: [1] } });
          }),
        );
        for (const v of variants) {
          tried++;
          if (agrees(v)) answered++;
        }
      }
    }
    expect(tried).toBeGreaterThan(1000);
    // Most copies are still valid (an extra key, a string for a string); the fast path answers them.
    expect(answered).toBeGreaterThan(tried / 10);
  });

  it('keeps zod key order (shape first, then the rest), drops __proto__, leaves unusual input to zod', () => {
    const raw = JSON.parse(fs.readFileSync(FIXTURES[0] as string, 'utf8')) as Record<string, unknown>;
    const reversed = Object.fromEntries(Object.entries(raw).reverse());
    expect(agrees(reversed)).toBe(true);
    expect(Object.keys(fastRunRecord(reversed) as object)).toEqual(Object.keys(RunRecordSchema.parse(reversed)));
    const proto = JSON.parse(`{"__proto__":{"polluted":true},${JSON.stringify(raw).slice(1)}`) as unknown;
    expect(agrees(proto)).toBe(true);
    expect(Object.keys(fastRunRecord(proto) as object)).not.toContain('__proto__');
    const paramsProto = { ...raw, params: JSON.parse('{"__proto__":1,"a":2}') as unknown };
    expect(agrees(paramsProto)).toBe(true);
    // Left to zod: a class instance, a present key holding undefined, a symbol key in a record.
    class Rec {}
    expect(fastRunRecord(Object.assign(new Rec(), raw))).toBeUndefined();
    expect(fastRunRecord({ ...raw, phase: undefined })).toBeUndefined();
    expect(fastRunRecord({ ...raw, params: { [Symbol('s')]: 1 } })).toBeUndefined();
    expect(fastRunRecord({ ...raw, params: { constructor: () => 1 } })).toBeUndefined();
    expect(RunRecordSchema.safeParse({ ...raw, phase: undefined }).success).toBe(true);
  });

  it('refuses the same records zod does, and the errors are zod\'s own', () => {
    const raw = JSON.parse(fs.readFileSync(FIXTURES[0] as string, 'utf8')) as Record<string, unknown>;
    const bad = { ...raw, status: 'DONE' };
    const r = safeParseRunRecord(bad);
    const z2 = RunRecordSchema.safeParse(bad);
    expect(r.success).toBe(false);
    expect(r.error?.issues).toEqual(z2.error?.issues);
  });

  it('checks: numbers, strings and objects as zod', () => {
    expect(num({ int: true, gt: 0 }).run(0)).toBe(NOT_PLAIN);
    expect(num({ int: true, gte: 0 }).run(-0)).toBe(-0);
    expect(num().run(Number.POSITIVE_INFINITY)).toBe(NOT_PLAIN);
    expect(num({ int: true }).run(2 ** 53)).toBe(NOT_PLAIN);
    expect(str(/^a$/).run('a')).toBe('a');
    expect(() => str(/a/g)).toThrow(/global or sticky/);
    expect(record(unknownValue).run([])).toBe(NOT_PLAIN);
    expect(looseObject({}).run(Object.create(null))).toEqual({});
  });
});
