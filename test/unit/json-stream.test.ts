/**
 * The streamed JSON listing (src/cli/json-stream.ts) prints exactly what JSON.stringify(value,
 * null, 2) prints, whether items come as values or as pre-formatted bytes, and tells its producer
 * to wait when the sink is behind.
 */
import { describe, expect, it } from 'vitest';
import type { ByteSink } from '../../src/cli/json-stream.js';
import { formatItem, JsonArrayStream } from '../../src/cli/json-stream.js';

function sink(acceptUntil = Infinity): ByteSink & { chunks: Buffer[]; drains: number } {
  const s = {
    chunks: [] as Buffer[],
    drains: 0,
    write(chunk: Buffer): boolean {
      s.chunks.push(Buffer.from(chunk));
      return Buffer.concat(s.chunks).length < acceptUntil;
    },
    drained(): Promise<void> {
      s.drains++;
      return Promise.resolve();
    },
  };
  return s;
}

const items = [{ run_id: 'run_a', status: 'PASSED', note: 'naïve — ✓ 🚀' }, { run_id: 'run_b', nested: { a: [1, 2, { b: null }] } }, { run_id: 'run_c', empty: [] }];

describe('JsonArrayStream', () => {
  it('prints JSON.stringify(value, null, 2) plus a newline, with a head and a tail', () => {
    for (const n of [0, 1, 3]) {
      for (const rest of [{}, { problems: [], total_runs: 7 }]) {
        const s = sink();
        const stream = new JsonArrayStream(s, 'runs', { runs_dir: '.runr/runs' });
        items.slice(0, n).forEach((it, i) => (i % 2 === 0 ? stream.push(it) : stream.pushBytes(Buffer.from(formatItem(it), 'utf8'))));
        stream.end(rest);
        expect(Buffer.concat(s.chunks).toString('utf8')).toBe(`${JSON.stringify({ runs_dir: '.runr/runs', runs: items.slice(0, n), ...rest }, null, 2)}\n`);
      }
    }
  });

  it('writes in batches of about 64 KB, whole items each, and asks to wait when the sink is behind', async () => {
    const s = sink(100 * 1024);
    const stream = new JsonArrayStream(s, 'runs');
    const many = Array.from({ length: 2000 }, (_, i) => ({ run_id: `run_${i}`, text: 'x'.repeat(200) }));
    let waits = 0;
    for (const it of many) {
      stream.push(it);
      const w = stream.waitDrain();
      if (w !== null) {
        waits++;
        await w;
      }
    }
    stream.end({});
    expect(s.chunks.length).toBeGreaterThan(3);
    for (const c of s.chunks.slice(0, -1)) expect(c.length).toBeGreaterThanOrEqual(64 * 1024);
    expect(waits).toBeGreaterThan(0);
    expect(s.drains).toBe(waits);
    expect(JSON.parse(Buffer.concat(s.chunks).toString('utf8'))).toEqual({ runs: many });
  });
});
