import { describe, expect, it } from 'vitest';
import { checkBatch, checkConfigRev, checkScenarioRev, checkStudy, checkVariant, idToken, makeBatchId, makeVariantId, nextBatchNumber, specFileName, lastSpecRevision } from '../../src/core/studies/ids.js';
import { expandSweep, parseOverrideValue, sweepCount } from '../../src/core/studies/sweep.js';
import { csvRow, parseCsv } from '../../src/core/studies/csv.js';
import { mean, sd, summarize, tCdf, tQuantile, verdictOf } from '../../src/core/studies/stats.js';
import type { StageKey, StageMemory } from '../../src/core/studies/cache.js';
import { describeReason, rerunReasons, resumeConflicts } from '../../src/core/studies/cache.js';
import { PipelineSchema } from '../../src/core/studies/pipeline.js';
import { checkPipeline } from '../../src/core/studies/pipeline-check.js';
import { downstreamOf } from '../../src/core/studies/dag.js';

describe('ids', () => {
  it('accepts the document’s examples and rejects the rest', () => {
    expect(checkStudy('austin-congestion-tax')).toBeNull();
    for (const bad of ['Austin', 'a--b', '-a', 'a_b', '', 'a/b']) expect(checkStudy(bad)).not.toBeNull();
    expect(checkBatch('b20260213-2140-baseline-v01')).toBeNull();
    expect(checkBatch('b20260213-2140-threshold-sweep-v12')).toBeNull();
    for (const bad of ['b2026021-2140-baseline-v01', 'b20260213-2140-baseline-v1', 'b20261313-2140-x-v01', 'b20260213-2460-x-v01', 'b20260213-2140--v01', 'b20260213-2140-Base-v01']) expect(checkBatch(bad)).not.toBeNull();
    expect(checkVariant('vr-threshold-3-s42')).toBeNull();
    expect(checkVariant('vr-base-default-s7')).toBeNull();
    expect(checkVariant('vr-chunk_size-0.5-s1')).toBeNull();
    for (const bad of ['vr-threshold-3', 'threshold-3-s42', 'vr-3-s42', 'vr-a-b-s', 'vr-a-b-s4x', 'vr-../x-s1']) expect(checkVariant(bad)).not.toBeNull();
    expect(checkScenarioRev('scn-v03')).toBeNull();
    expect(checkScenarioRev('scn-v3')).not.toBeNull();
    expect(checkConfigRev('cfg-v05')).toBeNull();
    expect(checkConfigRev('cfg-05')).not.toBeNull();
  });

  it('makes batch and variant ids', () => {
    expect(makeBatchId(new Date('2026-02-13T21:40:59Z'), 'baseline', 1)).toBe('b20260213-2140-baseline-v01');
    expect(nextBatchNumber(['b20260101-0000-baseline-v01', 'b20260213-2140-baseline-v03', 'b20260213-2140-other-v07'], 'baseline')).toBe(4);
    expect(nextBatchNumber([], 'x')).toBe(1);
    expect(nextBatchNumber(['b20260101-0000-x-v99'], 'x')).toBeNull();
    expect(makeVariantId([['threshold', 3]], 42)).toBe('vr-threshold-3-s42');
    expect(makeVariantId([], 42)).toBe('vr-base-default-s42');
    expect(makeVariantId([['threshold', 3], ['model', 'GPT 4o']], 1)).toBe('vr-threshold-3-model-gpt-4o-s1');
    expect(idToken(-1.5)).toBe('m1.5');
    for (const id of [makeVariantId([['model', 'GPT 4o']], 1), makeVariantId([['x', -2]], 0)]) expect(checkVariant(id)).toBeNull();
  });

  it('names spec files and finds the last revision', () => {
    expect(specFileName('s', 'pop', 2)).toBe('s.pop-v02.yaml');
    expect(specFileName('s', 'persona', 1)).toBe('s.persona-v01.yaml');
    expect(specFileName('s', 'network-config', 5)).toBe('s.network-cfg-v05.yaml');
    expect(specFileName('s', 'scenario', 3)).toBe('s.scn-v03.scenario.yaml');
    expect(lastSpecRevision('s', 'pop', ['s.pop-v01.yaml', 's.pop-v03.yaml', 'other.pop-v09.yaml'])).toBe(3);
  });
});

describe('sweep expansion', () => {
  const axes = [
    { name: 'threshold', values: [2, 3, 4] },
    { name: 'chunk_size', values: [25, 100] },
  ];
  it('one-axis: the baseline plus each value of each axis, times the seeds', () => {
    const r = expandSweep(axes, [42, 43], false);
    if (!r.ok) throw new Error('expected ok');
    expect(r.variants).toHaveLength((1 + 3 + 2) * 2);
    expect(sweepCount(axes, 2, false)).toBe(12);
    expect(r.variants[0]).toEqual({ id: 'vr-base-default-s42', seed: 42, overrides: {} });
    expect(r.variants.map((v) => Object.keys(v.overrides).length).every((n) => n <= 1)).toBe(true);
    expect(r.variants.map((v) => v.id)).toContain('vr-chunk_size-100-s43');
  });
  it('factorial: the full product', () => {
    const r = expandSweep(axes, [1, 2, 3], true);
    if (!r.ok) throw new Error('expected ok');
    expect(r.variants).toHaveLength(3 * 2 * 3);
    expect(sweepCount(axes, 3, true)).toBe(18);
    expect(r.variants.every((v) => Object.keys(v.overrides).length === 2)).toBe(true);
    expect(new Set(r.variants.map((v) => v.id)).size).toBe(18);
  });
  it('no axes: one variant per seed; problems are reported', () => {
    const r = expandSweep([], [42, 43, 44], false);
    expect(r.ok && r.variants.map((v) => v.id)).toEqual(['vr-base-default-s42', 'vr-base-default-s43', 'vr-base-default-s44']);
    expect(expandSweep([], [], false)).toMatchObject({ ok: false, problem: { kind: 'no_seeds' } });
    expect(expandSweep([{ name: 'a', values: [1, 1] }], [1], false)).toMatchObject({ ok: false, problem: { kind: 'duplicate_value' } });
    expect(expandSweep([{ name: 'a', values: ['X', 'x'] }], [1], false)).toMatchObject({ ok: false, problem: { kind: 'id_collision' } });
  });
  it('parses override values as YAML scalars', () => {
    expect(parseOverrideValue('3')).toBe(3);
    expect(parseOverrideValue('0.25')).toBe(0.25);
    expect(parseOverrideValue('-2')).toBe(-2);
    expect(parseOverrideValue('true')).toBe(true);
    expect(parseOverrideValue('gpt-4o')).toBe('gpt-4o');
    expect(parseOverrideValue('007')).toBe('007');
  });
});

describe('CSV (RFC 4180)', () => {
  it('quotes only what needs it and reads it back', () => {
    const notes = 'ran: a, b; said "hi"\nsecond line';
    const row = csvRow(['2026-02-13T22:05:00Z', 'x', notes, '', ' lead']);
    expect(row).toBe('2026-02-13T22:05:00Z,x,"ran: a, b; said ""hi""\nsecond line",," lead"\n');
    const p = parseCsv(`h1,h2,h3,h4,h5\n${row}plain,1,2,3,4\n`);
    if (!p.ok) throw new Error(p.problem);
    expect(p.records).toHaveLength(3);
    expect(p.records[1]?.fields).toEqual(['2026-02-13T22:05:00Z', 'x', notes, '', ' lead']);
    expect(p.records[2]?.line).toBe(4);
  });
  it('names the line of a malformed record', () => {
    expect(parseCsv('a,b\n1,"x\n')).toMatchObject({ ok: false, line: 2, problem: 'unterminated quoted field' });
    expect(parseCsv('a,b\n1,2\n3,x"y\n')).toMatchObject({ ok: false, line: 3 });
    expect(parseCsv('a,b\n"1"x,2\n')).toMatchObject({ ok: false, line: 2 });
    expect(parseCsv('a,b\r\n1,2\r\n')).toMatchObject({ ok: true });
  });
});

describe('statistics', () => {
  it('t quantiles match a printed t table (two-sided 95%)', () => {
    const table: Array<[number, number]> = [
      [1, 12.706], [2, 4.303], [3, 3.182], [4, 2.776], [5, 2.571], [6, 2.447], [7, 2.365], [8, 2.306], [9, 2.262], [10, 2.228],
      [15, 2.131], [20, 2.086], [25, 2.06], [30, 2.042], [40, 2.021], [60, 2.0], [120, 1.98],
    ];
    for (const [df, t] of table) expect(tQuantile(0.975, df)).toBeCloseTo(t, 3);
    expect(tQuantile(0.95, 10)).toBeCloseTo(1.812, 3);
    expect(tQuantile(0.995, 5)).toBeCloseTo(4.032, 3);
    expect(tQuantile(0.025, 3)).toBeCloseTo(-3.182, 3);
    expect(tQuantile(0.975, 1e6)).toBeCloseTo(1.96, 2);
    expect(tCdf(0, 7)).toBeCloseTo(0.5, 12);
    // df = 1 is Cauchy: P(T <= 1) = 3/4.
    expect(tCdf(1, 1)).toBeCloseTo(0.75, 10);
  });
  it('mean, sd and the 95% interval', () => {
    const xs = [2, 4, 4, 4, 5, 5, 7, 9];
    expect(mean(xs)).toBe(5);
    expect(sd(xs)).toBeCloseTo(2.13809, 5);
    const s = summarize([1, 2, 3]);
    // mean 2, sd 1, half-width = 4.303 * 1 / sqrt(3)
    expect(s.n).toBe(3);
    expect(s.half_width).toBeCloseTo((4.302653 * 1) / Math.sqrt(3), 5);
    expect(s.ci95?.[0]).toBeCloseTo(2 - 2.48414, 4);
    expect(summarize([5])).toEqual({ n: 1, mean: 5, sd: null, ci95: null, half_width: null });
    expect(summarize([])).toMatchObject({ n: 0, mean: null });
  });
  it('verdicts from the interval of a paired difference', () => {
    expect(verdictOf(summarize([0.1, 0.12, 0.11]), true)).toBe('better');
    expect(verdictOf(summarize([0.1, 0.12, 0.11]), false)).toBe('worse');
    expect(verdictOf(summarize([-0.1, 0.12, 0.01]), true)).toBe('inconclusive');
    expect(verdictOf(summarize([0.5]), true)).toBe('inconclusive');
  });
});

const sha = (c: string) => c.repeat(64);
const key = (over: Partial<StageKey> = {}): StageKey => ({ deps: { 'runs/s/specs/pop/s.pop-v01.yaml': sha('a') }, cmd_template: sha('c'), cmd: sha('d'), params: { threshold: 2 }, seed: 42, ...over });
const mem = (over: Partial<StageMemory> = {}): StageMemory => ({ status: 'PASS', key: key(), outs: { 'v/results/meta.json': sha('e') }, failure_reason: null, ...over });

describe('rerun reasons', () => {
  const base = { upstream: [], upstreamIsReason: false };
  it('nothing changed: skip', () => {
    expect(rerunReasons({ ...base, prev: mem(), key: key(), outs: { 'v/results/meta.json': sha('e') } })).toEqual([]);
  });
  it('lists every reason that applies, not only the first', () => {
    const r = rerunReasons({
      prev: mem(),
      key: key({ deps: { 'runs/s/specs/pop/s.pop-v01.yaml': sha('b') }, params: { threshold: 3 }, cmd: sha('f') }),
      outs: { 'v/results/meta.json': null },
      upstream: ['sample'],
      upstreamIsReason: false,
    });
    expect(r.map((x) => x.kind)).toEqual(['dep_changed', 'param_changed', 'out_missing', 'upstream_reran']);
    const text = r.map((x) => describeReason(x, (p) => p.replace(/^runs\/s\//, '').replace(/^v\//, '')));
    expect(text).toEqual(['dep changed: specs/pop/s.pop-v01.yaml (sha aaaa… → bbbb…)', 'param threshold: 2 → 3', 'out missing: results/meta.json', 'upstream reran: sample']);
  });
  it('never ran, cmd changed, seed, interrupted, failed, out edited', () => {
    expect(rerunReasons({ ...base, prev: null, key: key(), outs: {} }).map((x) => describeReason(x))).toEqual(['never ran']);
    expect(rerunReasons({ ...base, prev: mem(), key: key({ cmd_template: sha('9'), cmd: sha('8') }), outs: { 'v/results/meta.json': sha('e') } }).map((x) => describeReason(x))).toEqual(['cmd changed']);
    expect(rerunReasons({ ...base, prev: mem(), key: key({ seed: 43, cmd: sha('8') }), outs: { 'v/results/meta.json': sha('e') } }).map((x) => x.kind)).toEqual(['seed_changed']);
    expect(rerunReasons({ ...base, prev: mem({ status: 'RUNNING' }), key: key(), outs: { 'v/results/meta.json': null } }).map((x) => x.kind)).toEqual(['interrupted']);
    expect(rerunReasons({ ...base, prev: mem({ status: 'FAIL', failure_reason: 'exited 1' }), key: key(), outs: { 'v/results/meta.json': sha('e') } }).map((x) => describeReason(x))).toEqual(['last run failed: exited 1']);
    expect(rerunReasons({ ...base, prev: mem(), key: key(), outs: { 'v/results/meta.json': sha('7') } }).map((x) => x.kind)).toEqual(['out_changed']);
  });
  it('an upstream rerun alone is a reason in a dry run only', () => {
    const i = { prev: mem(), key: key(), outs: { 'v/results/meta.json': sha('e') }, upstream: ['sample'] };
    expect(rerunReasons({ ...i, upstreamIsReason: false })).toEqual([]);
    expect(rerunReasons({ ...i, upstreamIsReason: true }).map((x) => describeReason(x))).toEqual(['upstream reran: sample']);
  });
  it('a resumed stage may not change seed or config', () => {
    expect(resumeConflicts(key(), key())).toEqual([]);
    expect(resumeConflicts(key(), key({ seed: 7, params: { threshold: 5 } }))).toEqual(['seed 42 → 7', 'param threshold 2 → 5']);
    expect(resumeConflicts(key(), key({ cmd_template: sha('1') }))).toEqual(['command changed']);
  });
});

describe('pipeline checks and stage graph', () => {
  const parse = (raw: unknown) => PipelineSchema.parse(raw);
  const stages = {
    sample: { cmd: ['x', '{base.pop}'], deps: ['{base.pop}'], outs: ['{inputs}/agents.json'] },
    network: { cmd: ['x'], deps: ['{inputs}/agents.json'], outs: ['{inputs}/network.json'] },
    simulate: { cmd: ['x', '-t', '{threshold}'], deps: ['{inputs}/network.json', '{inputs}/agents.json'], outs: ['{results}'], params: ['threshold'] },
    results: { cmd: ['x'], deps: ['{results}/meta.json'], outs: ['{variant_dir}/summary.json'] },
  };
  it('infers needs from deps and outs and orders the stages', () => {
    const c = checkPipeline(parse({ params: { threshold: 2 }, stages }));
    if (!c.ok) throw new Error(c.error.problem);
    expect(c.graph.order).toEqual(['sample', 'network', 'simulate', 'results']);
    expect(c.graph.needs.simulate).toEqual(['sample', 'network']);
    expect(c.graph.needs.results).toEqual(['simulate']);
    expect([...downstreamOf(c.graph, 'network')]).toEqual(['simulate', 'results']);
  });
  it('reports a cycle, unknown needs, escaping paths, unknown variables, undeclared params', () => {
    const cyc = checkPipeline(parse({ stages: { a: { cmd: ['x'], needs: ['b'] }, b: { cmd: ['x'], needs: ['a'] } } }));
    expect(cyc).toMatchObject({ ok: false, error: { field: 'stages' } });
    expect(!cyc.ok && cyc.error.problem).toMatch(/stage cycle: (a → b → a|b → a → b)/);
    expect(checkPipeline(parse({ stages: { a: { cmd: ['x'], needs: ['zz'] } } }))).toMatchObject({ ok: false, error: { field: 'stages.a.needs[0]' } });
    expect(checkPipeline(parse({ stages: { a: { cmd: ['x'], outs: ['{inputs}/../../../../x'] } } }))).toMatchObject({ ok: false, error: { field: 'stages.a.outs[0]' } });
    expect(checkPipeline(parse({ stages: { a: { cmd: ['x'], outs: ['/etc/passwd'] } } }))).toMatchObject({ ok: false, error: { field: 'stages.a.outs[0]' } });
    expect(checkPipeline(parse({ stages: { a: { cmd: ['x', '{nope}'] } } }))).toMatchObject({ ok: false, error: { field: 'stages.a.cmd[1]' } });
    expect(checkPipeline(parse({ stages: { a: { cmd: ['x'], params: ['threshold'] } } }))).toMatchObject({ ok: false, error: { field: 'stages.a.params[0]' } });
    expect(checkPipeline(parse({ params: { seed: 1 }, stages: { a: { cmd: ['x'] } } }))).toMatchObject({ ok: false, error: { field: 'params.seed' } });
    expect(checkPipeline(parse({ stages: { a: { cmd: ['x'], outs: ['{inputs}/o'] }, b: { cmd: ['x'], outs: ['{inputs}/o'] } } }))).toMatchObject({ ok: false, error: { field: 'stages.b.outs[0]' } });
  });
});
