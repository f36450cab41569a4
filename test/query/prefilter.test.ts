import { describe, expect, it } from 'vitest';
import { entryRow } from '../../src/core/manifest/serialize.js';
import { compileQuery } from '../../src/core/query/compile.js';
import { anEntry } from './helpers.js';

/** A small deterministic generator: mixed types on purpose (numbers, numeric text, booleans, nulls, odd text). */
function entries(): ReturnType<typeof anEntry>[] {
  const out = [];
  const statuses = ['PASSED', 'FAILED', 'RUNNING', null];
  const seeds: unknown[] = [1, 2, '2', '2.0', 'two', true, null, { deep: 2 }];
  const models = ['gpt', 'GPT', 'gpt "quoted"', 'ünï', 'a\\b', '5'];
  for (let i = 0; i < 96; i++) {
    out.push(
      anEntry({
        run_id: `run_${String(i).padStart(3, '0')}`,
        status: statuses[i % statuses.length] ?? null,
        workflow: i % 5 === 0 ? null : `visual-${i % 3}`,
        params: { seed: seeds[i % seeds.length], model: models[i % models.length], ...(i % 4 === 0 ? { 'a.b': i } : { a: { b: i } }) },
        metrics: i % 3 === 0 ? {} : { total_tokens: i * 1000 },
        tags: i % 2 === 0 ? { team: 'alpha' } : {},
      }),
    );
  }
  return out;
}

const QUERIES = [
  "status = 'PASSED'",
  "status in ('PASSED', 'FAILED') and params.seed = 2",
  "params.seed = '2'",
  'params.seed != 2',
  "params.model = 'gpt'",
  "params.model = 'gpt \"quoted\"'",
  "params.model = 'ünï'",
  "params.model = 'a\\b'",
  'params.model = 5',
  "params.model ilike 'GPT'",
  "workflow like 'visual-%'",
  "workflow like '%al-1'",
  'workflow is null or params.a.b > 50',
  'params.a.b >= 40',
  'not params.seed in (1, 2)',
  "params.seed not in (1, 'two')",
  'metrics.total_tokens > 10000 and tags.team is not null',
  "tags.team = 'alpha' or status = 'RUNNING'",
  'params.seed = true',
  "params.seed = 'true'",
  'params.seed.deep = 2',
  "not status = 'PASSED'",
  'started_at > 2026-01-19 and ended_at < 2026-01-20',
  "status != 'PASSED'",
  "params.model like 'g%'",
  "params.model not like 'g%'",
  'params.a.b is not null and params.a.b < 10',
  "run_id like 'run_01%'",
  'duration_s = 600 and total_tokens > 5',
  'params.seed > 1.5',
];

describe('line prefilter', () => {
  const all = entries();
  it.each(QUERIES)('never rejects a matching line: %s', (query) => {
    const c = compileQuery(query);
    let matched = 0;
    for (const e of all) {
      if (!c.matches(e)) continue;
      matched++;
      const row = entryRow(e);
      expect(c.prefilter.guarded(row), `${query} rejected ${row}`).toBe(true);
      if (!row.includes('\\')) expect(c.prefilter.plain(`    ${row},`), `${query} rejected the raw line of ${row}`).toBe(true);
    }
    expect(matched).toBeGreaterThan(0);
  });

  it.each(["status = 'PASSED' and params.model = 'gpt'", 'params.a.b >= 90', "params.seed in (1, 2) and status = 'FAILED'"])('rejects most non-matching lines: %s', (query) => {
    const c = compileQuery(query);
    // Lines with a backslash always pass (an escape could hide a token); count the others.
    const plain = all.map(entryRow).filter((row) => !row.includes('\\'));
    const passed = plain.filter((row) => c.prefilter.plain(row)).length;
    expect(plain.length).toBeGreaterThan(50);
    expect(passed).toBeLessThan(plain.length / 4);
  });
});
