/**
 * A page's data repeated up to `n` runs, as distinct runs would be: new run ids, start times,
 * seeds, and fresh sha256 values and timestamps in every copy (a copied hash would compress away
 * and flatter the size). The same scaling as bench/view.bench.mjs.
 */
import { createHash } from 'node:crypto';
import type { ViewData } from '../../src/core/view/model.js';

export function scaled(sample: ViewData, n: number): ViewData {
  const runs: ViewData['runs'] = [];
  const details: ViewData['details'] = {};
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  for (let i = 0; i < n; i++) {
    const t = sample.runs[i % sample.runs.length];
    if (t === undefined) break;
    const at = new Date(t0 + i * 97_000);
    const id = `run_${at.toISOString().replace(/[-:.]/g, '').slice(0, 15)}Z_${t.kind ?? 'x'}-${i}_${(i * 7919).toString(36).padStart(6, '0').slice(-6)}`;
    const fresh = (hex: string) => createHash('sha256').update(`${hex}:${i}`).digest('hex').slice(0, hex.length);
    const shift = (ts: string) => new Date(Date.parse(ts) - Date.parse(t.start_time ?? ts) + at.getTime() + (i % 13) * 1000).toISOString();
    const swap = <T>(v: T): T =>
      JSON.parse(
        JSON.stringify(v)
          .split(t.run_id)
          .join(id)
          .replace(/\b[0-9a-f]{40}(?:[0-9a-f]{24})?\b/g, fresh)
          .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g, shift),
      ) as T;
    const e = swap(t);
    if ('seed' in e.params) e.params = { ...e.params, seed: i % 7 };
    runs.push(e);
    const d = sample.details[t.run_id];
    if (d !== undefined) details[id] = swap(d);
  }
  return { ...sample, total_runs: n, runs, details };
}
