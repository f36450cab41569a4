import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { lazySchema } from '../../src/core/lazy-schema.js';
import { EventBodySchema, JournalEventSchema } from '../../src/core/events/index.js';
import { TaskStateSchema } from '../../src/core/tasks/state.js';

const build = () => z.object({ a: z.number().int(), b: z.array(z.string().regex(/^x/)).optional() });

describe('lazySchema', () => {
  it('builds on first use, once, and validates exactly like the schema it stands for', () => {
    let built = 0;
    const lazy = lazySchema(() => {
      built++;
      return build();
    });
    expect(built).toBe(0);
    const eager = build();
    for (const input of [{ a: 1 }, { a: 1.5 }, { a: 1, b: ['x', 'y'] }, 'nope', { b: [] }]) {
      const l = lazy.safeParse(input);
      const e = eager.safeParse(input);
      expect(l.success).toBe(e.success);
      expect(l.error?.issues).toEqual(e.error?.issues);
      if (l.success && e.success) expect(l.data).toEqual(e.data);
    }
    expect(() => lazy.parse({ a: 'x' })).toThrow(z.ZodError);
    expect(built).toBe(1);
  });

  it('composes: inside objects and arrays, with extend, shape and instanceof', () => {
    const inner = lazySchema(() => z.object({ n: z.number() }));
    const outer = z.object({ list: z.array(inner), one: inner.extend({ s: z.string() }) });
    expect(outer.parse({ list: [{ n: 1 }], one: { n: 2, s: 'x' } })).toEqual({ list: [{ n: 1 }], one: { n: 2, s: 'x' } });
    expect(outer.safeParse({ list: [{ n: 'a' }], one: { n: 2, s: 'x' } }).error?.issues[0]?.path).toEqual(['list', 0, 'n']);
    expect(Object.keys(inner.shape)).toEqual(['n']);
    expect(inner instanceof z.ZodObject).toBe(true);
    expect(z.toJSONSchema(inner)).toEqual(z.toJSONSchema(z.object({ n: z.number() })));
  });

  it('the lazy event union still tells an unknown event type and a bad field apart', () => {
    expect(EventBodySchema.safeParse({ type: 'no.such.event' }).success).toBe(false);
    const bad = JournalEventSchema.safeParse({ schema_version: 1, seq: 1, ts: 't', prev: null, type: 'stage.started' });
    expect(bad.success).toBe(false);
    expect(TaskStateSchema.safeParse({}).success).toBe(false);
  });
});
