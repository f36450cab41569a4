import { describe, expect, it } from 'vitest';
import { compileQuery } from '../../src/core/query/compile.js';
import { parseOrderBy, sortEntries } from '../../src/core/query/order-by.js';
import { likeRegExp } from '../../src/core/query/values.js';
import { anEntry, q, which } from './helpers.js';

describe('comparisons', () => {
  const e = anEntry({ params: { seed: 3, model: 'gpt-x', lr: '0.01', flag: true, nested: { depth: 2 }, 'a.b': 'flat' }, metrics: { total_tokens: 150000, loss: 0.25 }, tags: { team: 'alpha' } });

  it('compares top-level text fields', () => {
    expect(q("status = 'PASSED'", e)).toBe(true);
    expect(q("status != 'PASSED'", e)).toBe(false);
    expect(q("status < 'Q'", e)).toBe(true);
    expect(q("framework = 'RUNR'", e)).toBe(false);
  });

  it('compares numbers, including exponent literals', () => {
    expect(q('metrics.total_tokens > 1e5', e)).toBe(true);
    expect(q('metrics.total_tokens >= 150000', e)).toBe(true);
    expect(q('metrics.loss < 0.3 and metrics.loss > -1', e)).toBe(true);
    expect(q('total_tokens = 1200', e)).toBe(true);
    expect(q('total_tokens_in > 999', e)).toBe(true);
  });

  it('coerces numeric text and numbers both ways', () => {
    expect(q("params.seed = '3'", e)).toBe(true);
    expect(q("params.seed = '3.0'", e)).toBe(true);
    expect(q('params.lr = 0.01', e)).toBe(true);
    expect(q('params.lr < 0.1', e)).toBe(true);
    expect(q("params.seed < '10'", e)).toBe(true); // numeric, not text order ('3' > '10' as text)
  });

  it('compares a number with non-numeric text: = false, != true, ordering unknown', () => {
    expect(q("params.seed = 'three'", e)).toBe(false);
    expect(q("params.seed != 'three'", e)).toBe(true);
    expect(q("params.seed > 'three'", e)).toBe(false);
    expect(q("not params.seed > 'three'", e)).toBe(false); // unknown stays unknown under not
    expect(q('params.model != 5', e)).toBe(true);
    expect(q('params.model > 5', e)).toBe(false);
  });

  it('compares booleans', () => {
    expect(q('params.flag = true', e)).toBe(true);
    expect(q('params.flag != false', e)).toBe(true);
    expect(q("params.flag = 'true'", e)).toBe(true);
    expect(q('params.flag > false', e)).toBe(false);
  });

  it('reads nested and flat keys, and odd keys in backticks', () => {
    expect(q('params.nested.depth = 2', e)).toBe(true);
    expect(q("params.`a.b` = 'flat'", e)).toBe(true);
    expect(q("params.a.b = 'flat'", e)).toBe(true);
    expect(q("tags.team = 'alpha'", e)).toBe(true);
    expect(q('params.constructor is null', e)).toBe(true); // never Object.prototype
  });

  it('treats objects as unknown', () => {
    expect(q('params.nested = 2', e)).toBe(false);
    expect(q('params.nested != 2', e)).toBe(false);
    expect(q('params.nested is not null', e)).toBe(true);
  });
});

describe('null semantics (three-valued logic)', () => {
  const withNull = anEntry({ stop_reason: null, params: { seed: 1 } });

  it('makes every comparison with a missing value unknown', () => {
    expect(q("stop_reason = 'x'", withNull)).toBe(false);
    expect(q("stop_reason != 'x'", withNull)).toBe(false);
    expect(q("not stop_reason = 'x'", withNull)).toBe(false);
    expect(q('params.missing > 0', withNull)).toBe(false);
    expect(q('not params.missing > 0', withNull)).toBe(false);
    expect(q("stop_reason like '%'", withNull)).toBe(false);
  });

  it('lets is null / is not null see missing values', () => {
    expect(q('stop_reason is null', withNull)).toBe(true);
    expect(q('params.missing is null', withNull)).toBe(true);
    expect(q('params.seed is not null', withNull)).toBe(true);
    expect(q('not params.seed is null', withNull)).toBe(true);
  });

  it('combines unknown with and / or like SQL', () => {
    expect(q("stop_reason = 'x' or status = 'PASSED'", withNull)).toBe(true); // unknown or true = true
    expect(q("stop_reason = 'x' and status = 'PASSED'", withNull)).toBe(false); // unknown and true = unknown
    expect(q("not (stop_reason = 'x' and status = 'FAILED')", withNull)).toBe(true); // not (unknown and false) = not false
    expect(q("not (stop_reason = 'x' or status = 'FAILED')", withNull)).toBe(false); // not (unknown or false) = unknown
  });

  it('in with a missing value is unknown; not in too', () => {
    expect(q("stop_reason in ('a', 'b')", withNull)).toBe(false);
    expect(q("stop_reason not in ('a', 'b')", withNull)).toBe(false);
    expect(q('params.seed not in (2, 3)', withNull)).toBe(true);
    expect(q('params.seed in (2, 1)', withNull)).toBe(true);
  });
});

describe('or with parentheses', () => {
  const runs = [
    anEntry({ status: 'PASSED', kind: 'task' }),
    anEntry({ status: 'FAILED', kind: 'task' }),
    anEntry({ status: 'FAILED', kind: 'workflow' }),
    anEntry({ status: 'PASSED', kind: 'workflow' }),
  ];
  it('selects different runs with and without parentheses', () => {
    expect(which("status = 'PASSED' or status = 'FAILED' and kind = 'task'", runs)).toEqual([0, 1, 3]);
    expect(which("(status = 'PASSED' or status = 'FAILED') and kind = 'task'", runs)).toEqual([0, 1]);
    expect(which("not (status = 'PASSED' or kind = 'task')", runs)).toEqual([2]);
  });
});

describe('dates', () => {
  const e = anEntry({ start_time: '2026-01-19T22:23:03.960Z', end_time: '2026-01-19T22:33:03.960Z' });
  it('compares time fields with ISO dates, quoted or not', () => {
    expect(q('started_at > 2026-01-19', e)).toBe(true);
    expect(q('started_at < 2026-01-20', e)).toBe(true);
    expect(q("started_at >= '2026-01-19T22:23:03.960Z'", e)).toBe(true);
    expect(q("started_at > '2026-01-19T22:23:03.960Z'", e)).toBe(false);
    expect(q('started_at = 2026-01-19T23:23:03.960+01:00', e)).toBe(true);
    expect(q('ended_at in (2026-01-19T22:33:03.960Z)', e)).toBe(true);
  });

  it('handles non-canonical stored times (seconds only, offsets)', () => {
    const odd = anEntry({ start_time: '2025-10-15T08:50:59Z', end_time: '2025-10-15T10:50:59+01:00' });
    expect(q('started_at > 2025-10-15T08:50:58Z and started_at < 2025-10-15T08:51Z', odd)).toBe(true);
    expect(q('ended_at = 2025-10-15T09:50:59Z', odd)).toBe(true);
  });

  it('derives duration_s and leaves it unknown for running runs', () => {
    expect(q('duration_s = 600', e)).toBe(true);
    expect(q('duration_s > 599.5 and duration_s < 600.5', e)).toBe(true);
    const running = anEntry({ end_time: null });
    expect(q('duration_s > 0', running)).toBe(false);
    expect(q('duration_s is null and ended_at is null', running)).toBe(true);
  });

  it('compares a date literal with a date-valued param', () => {
    expect(q('params.cutoff < 2026-02-01', anEntry({ params: { cutoff: '2026-01-15' } }))).toBe(true);
    expect(q('params.cutoff < 2026-02-01', anEntry({ params: { cutoff: 'soon' } }))).toBe(false);
  });

  it('lets like match a time field as text', () => {
    expect(q("started_at like '2026-01-19%'", e)).toBe(true);
  });
});

describe('like and ilike', () => {
  it('translates % and _ and escapes', () => {
    expect(likeRegExp('a%b_c', false).test('aXYZbQc')).toBe(true);
    expect(likeRegExp('100\\%', false).test('100%')).toBe(true);
    expect(likeRegExp('100\\%', false).test('1000')).toBe(false);
    expect(likeRegExp('a.c', false).test('abc')).toBe(false);
  });

  it('is case-sensitive; ilike is not', () => {
    const e = anEntry({ workflow: 'Visual-Essay' });
    expect(q("workflow like 'visual%'", e)).toBe(false);
    expect(q("workflow ilike 'visual%'", e)).toBe(true);
    expect(q("workflow not like 'visual%'", e)).toBe(true);
  });

  it('matches numbers by their text', () => {
    expect(q("params.seed like '4%'", anEntry({ params: { seed: 42 } }))).toBe(true);
  });
});

describe('order by', () => {
  const runs = [
    anEntry({ run_id: 'b', metrics: { loss: 0.5 } }),
    anEntry({ run_id: 'a', metrics: { loss: '0.25' } }),
    anEntry({ run_id: 'c', metrics: {} }),
    anEntry({ run_id: 'd', metrics: { loss: 1 } }),
  ];
  it('sorts numerically, missing values last, ties by run id', () => {
    expect(sortEntries(runs, parseOrderBy('metrics.loss')).map((e) => e.run_id)).toEqual(['a', 'b', 'd', 'c']);
    expect(sortEntries(runs, parseOrderBy('metrics.loss desc')).map((e) => e.run_id)).toEqual(['d', 'b', 'a', 'c']);
    expect(sortEntries(runs, parseOrderBy('status')).map((e) => e.run_id)).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('compiled query', () => {
  it('lists the fields it reads, once each', () => {
    expect(compileQuery("status = 'A' and params.seed > 1 or status = 'B'").fields.map((f) => f.name)).toEqual(['status', 'params.seed']);
  });
});
