/**
 * Build a batch report from plain inputs (pure): the manifest, the pipeline's metrics, each
 * variant's last recorded state, and optionally a baseline batch. The comparability check comes
 * first; a comparison that is not comparable is only computed when forced.
 */
import type { BatchManifest } from './manifest.js';
import { armKey, armLabel } from './manifest.js';
import type { Pipeline } from './pipeline.js';
import type { Summary } from './stats.js';
import { summarize, verdictOf } from './stats.js';
import type { OverrideValue } from './sweep.js';
import type { BatchReport, Comparison, ComparisonArm, MetricInfo, ReportVariant, SegmentTable, StabilityArm, StageCell } from './report-model.js';

export const SINGLE_SEED_CAVEAT =
  'Single-seed caveat: every configuration ran with one seed, so these results carry no stability estimate and may not hold for other seeds; run a confidence sweep with 5 to 10 seeds (--seeds) before drawing conclusions.';

export interface BatchInput {
  manifest: BatchManifest;
  variants: ReportVariant[];
}

export function metricInfos(p: Pipeline, stages: readonly string[]): MetricInfo[] {
  const out: MetricInfo[] = [];
  for (const s of stages) for (const [name, m] of Object.entries(p.stages[s]?.metrics ?? {})) out.push({ name, stage: s, better: m.better ?? 'higher' });
  return out;
}

const nums = (xs: Array<number | null | undefined>): number[] => xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));

function summaries(vs: readonly ReportVariant[], metrics: readonly MetricInfo[]): Record<string, Summary> {
  return Object.fromEntries(metrics.map((m) => [m.name, summarize(nums(vs.filter(usable).map((v) => v.metrics[m.name])))]));
}

/** Variants whose metrics count: the last execution succeeded (WARN allowed). */
const usable = (v: ReportVariant) => v.state === 'success';

export function seedPolicy(m: BatchManifest): number[] {
  return [...new Set(m.sweep?.seeds ?? m.variants.map((v) => v.seed))].sort((a, b) => a - b);
}

function segmentTables(m: BatchManifest, p: Pipeline, vs: readonly ReportVariant[], metrics: readonly MetricInfo[]): SegmentTable[] {
  const axes = [...new Set([...Object.keys(m.sweep?.axes ?? {}), ...vs.flatMap((v) => Object.keys(v.overrides))])];
  const factorial = m.sweep?.factorial === true;
  const tables: SegmentTable[] = [];
  for (const axis of axes) {
    const pool = factorial ? vs : vs.filter((v) => Object.keys(v.overrides).every((k) => k === axis));
    const dflt = p.params[axis];
    const groups = new Map<string, ReportVariant[]>();
    for (const v of pool) {
      const value = v.overrides[axis] ?? dflt;
      const k = value === undefined ? '(unset)' : String(value);
      groups.set(k, [...(groups.get(k) ?? []), v]);
    }
    const rows = [...groups.entries()].map(([value, g]) => ({
      value,
      baseline: g.some((v) => v.overrides[axis] === undefined),
      variants: g.map((v) => v.id),
      metrics: summaries(g, metrics),
    }));
    tables.push({ axis, rows });
  }
  const seeds = [...new Set(vs.map((v) => v.seed))].sort((a, b) => a - b);
  tables.push({
    axis: 'seed',
    rows: seeds.map((s) => {
      const g = vs.filter((v) => v.seed === s);
      return { value: String(s), baseline: false, variants: g.map((v) => v.id), metrics: summaries(g, metrics) };
    }),
  });
  return tables;
}

function arms(vs: readonly ReportVariant[]): Map<string, ReportVariant[]> {
  const out = new Map<string, ReportVariant[]>();
  for (const v of vs) out.set(armKey(v.overrides), [...(out.get(armKey(v.overrides)) ?? []), v]);
  return out;
}

function stability(vs: readonly ReportVariant[], metrics: readonly MetricInfo[]): StabilityArm[] {
  return [...arms(vs).values()].map((g) => ({
    arm: armLabel(g[0]?.overrides ?? {}),
    overrides: g[0]?.overrides ?? {},
    seeds: g.map((v) => v.seed).sort((a, b) => a - b),
    metrics: summaries(g, metrics),
  }));
}

/** Reasons the two batches may not be compared (empty: comparable). */
export function comparabilityReasons(cur: BatchInput, base: BatchInput): string[] {
  const r: string[] = [];
  const a = cur.manifest;
  const b = base.manifest;
  if (a.batch_id === b.batch_id) r.push('the baseline is this batch');
  if (a.study !== b.study) r.push(`study differs: baseline ${b.study}, this batch ${a.study}`);
  if (a.scenario_rev !== b.scenario_rev) r.push(`scenario revision differs: baseline ${b.scenario_rev}, this batch ${a.scenario_rev}`);
  if (a.config_rev !== b.config_rev) r.push(`config revision differs: baseline ${b.config_rev}, this batch ${a.config_rev}`);
  const sa = seedPolicy(a);
  const sb = seedPolicy(b);
  if (sa.join(',') !== sb.join(',')) r.push(`seed policy differs: baseline seeds ${sb.join(', ')}, this batch ${sa.join(', ')}`);
  const swept = new Set([...Object.keys(a.sweep?.axes ?? {}), ...a.variants.flatMap((v) => Object.keys(v.overrides))]);
  for (const [, g] of arms(cur.variants)) {
    const first = g[0];
    if (first === undefined) continue;
    const match = baselineArm(first.overrides, base.variants);
    if (match === null) {
      r.push(`no baseline configuration to compare ${armLabel(first.overrides)} with`);
      continue;
    }
    const other = match[0]?.overrides ?? {};
    const keys = new Set([...Object.keys(first.overrides), ...Object.keys(other)]);
    for (const k of keys) {
      if (first.overrides[k] !== other[k] && !swept.has(k)) r.push(`override ${k} differs outside the swept axes: baseline ${String(other[k] ?? 'default')}, ${armLabel(first.overrides)} ${String(first.overrides[k] ?? 'default')}`);
    }
  }
  if (!base.variants.some(usable)) r.push(`baseline ${b.batch_id} has no successful variant`);
  return [...new Set(r)];
}

/** The baseline's variants with the same overrides, else its baseline arm (no overrides), else its only arm. */
function baselineArm(overrides: Record<string, OverrideValue>, base: readonly ReportVariant[]): ReportVariant[] | null {
  const by = arms(base);
  const same = by.get(armKey(overrides));
  if (same !== undefined) return same;
  const plain = by.get(armKey({}));
  if (plain !== undefined) return plain;
  return by.size === 1 ? ([...by.values()][0] ?? null) : null;
}

function compare(cur: BatchInput, base: BatchInput, metrics: readonly MetricInfo[], reasons: string[], forced: boolean): Comparison {
  const out: ComparisonArm[] = [];
  for (const [, g] of arms(cur.variants)) {
    const first = g[0];
    if (first === undefined) continue;
    const b = baselineArm(first.overrides, base.variants);
    if (b === null) continue;
    const bySeed = new Map(b.filter(usable).map((v) => [v.seed, v]));
    const pairs = g.filter(usable).flatMap((v) => {
      const w = bySeed.get(v.seed);
      return w === undefined ? [] : [[v, w] as const];
    });
    const metricsOut: ComparisonArm['metrics'] = {};
    for (const m of metrics) {
      const diffs = nums(pairs.map(([v, w]) => {
        const x = v.metrics[m.name];
        const y = w.metrics[m.name];
        return typeof x === 'number' && typeof y === 'number' ? x - y : null;
      }));
      const s = summarize(diffs);
      metricsOut[m.name] = { n: s.n, mean_diff: s.mean, sd: s.sd, ci95: s.ci95, verdict: verdictOf(s, m.better === 'higher') };
    }
    out.push({ arm: armLabel(first.overrides), baseline_arm: armLabel(b[0]?.overrides ?? {}), seeds: pairs.map(([v]) => v.seed).sort((x, y) => x - y), metrics: metricsOut });
  }
  return { baseline_batch: base.manifest.batch_id, comparable: reasons.length === 0, reasons, forced, arms: out };
}

export interface BuildReportInput {
  current: BatchInput;
  pipeline: Pipeline;
  stages: string[];
  baseline: BatchInput | null;
  force: boolean;
  generatedAt: string;
}

export type BuildReportResult = { ok: true; report: BatchReport } | { ok: false; reasons: string[]; baseline: string };

export function buildReport(i: BuildReportInput): BuildReportResult {
  const m = i.current.manifest;
  const vs = i.current.variants;
  const metrics = metricInfos(i.pipeline, i.stages);
  let comparison: Comparison | null = null;
  if (i.baseline !== null) {
    const reasons = comparabilityReasons(i.current, i.baseline);
    if (reasons.length > 0 && !i.force) return { ok: false, reasons, baseline: i.baseline.manifest.batch_id };
    comparison = compare(i.current, i.baseline, metrics, reasons, reasons.length > 0);
  }
  const gate: Record<StageCell, number> = { PASS: 0, WARN: 0, FAIL: 0, RUNNING: 0, NOT_RUN: 0 };
  for (const v of vs) for (const s of i.stages) gate[v.stages[s] ?? 'NOT_RUN'] += 1;
  const seeds = seedPolicy(m);
  const stab = stability(vs, metrics);
  const single = stab.every((a) => a.seeds.length < 2);
  return {
    ok: true,
    report: {
      schema_version: 1,
      study: m.study,
      batch_id: m.batch_id,
      objective: m.objective,
      scenario_rev: m.scenario_rev,
      config_rev: m.config_rev,
      created_at: m.created_at,
      generated_at: i.generatedAt,
      base_paths: m.base_paths,
      stages: i.stages,
      metrics,
      variants: vs,
      gate_summary: gate,
      batch_state: vs.every((v) => v.state === 'success') ? 'success' : vs.some((v) => v.state === 'failed' || v.state === 'escalated') ? 'failed' : 'incomplete',
      segments: segmentTables(m, i.pipeline, vs, metrics),
      stability: { seeds, single_seed: single, caveat: single ? SINGLE_SEED_CAVEAT : null, arms: stab },
      comparison,
      state: vs.map((v) => `${v.id}@${v.run_id ?? '-'}#${v.executions}:${v.state}`).join(';'),
    },
  };
}
