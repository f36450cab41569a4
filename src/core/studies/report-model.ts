/** The plain data of a batch report (JSON-serialisable; documented in docs/studies.md). */
import type { Summary, Verdict } from './stats.js';
import type { OverrideValue } from './sweep.js';

export type StageCell = 'PASS' | 'WARN' | 'FAIL' | 'RUNNING' | 'NOT_RUN';
export type VariantState = 'success' | 'failed' | 'escalated' | 'canceled' | 'running' | 'interrupted' | 'not_run';

export interface ReportVariant {
  id: string;
  seed: number;
  overrides: Record<string, OverrideValue>;
  /** `baseline` or `threshold=3, chunk_size=50`. */
  arm: string;
  run_id: string | null;
  state: VariantState;
  executions: number;
  stages: Record<string, StageCell>;
  /** Why the stage is WARN or FAIL (checks that did not hold, exit status). */
  stage_notes: Record<string, string>;
  metrics: Record<string, number | null>;
}

export interface MetricInfo {
  name: string;
  stage: string;
  better: 'higher' | 'lower';
}

export interface SegmentRow {
  value: string;
  /** The row of the pipeline's default value (the baseline). */
  baseline: boolean;
  variants: string[];
  metrics: Record<string, Summary>;
}

export interface SegmentTable {
  axis: string;
  rows: SegmentRow[];
}

export interface StabilityArm {
  arm: string;
  overrides: Record<string, OverrideValue>;
  seeds: number[];
  metrics: Record<string, Summary>;
}

export interface PairedMetric {
  n: number;
  mean_diff: number | null;
  sd: number | null;
  ci95: [number, number] | null;
  verdict: Verdict;
}

export interface ComparisonArm {
  arm: string;
  baseline_arm: string;
  seeds: number[];
  metrics: Record<string, PairedMetric>;
}

export interface Comparison {
  baseline_batch: string;
  comparable: boolean;
  /** Why not comparable (empty when comparable). */
  reasons: string[];
  /** Computed although not comparable (`--force`). */
  forced: boolean;
  arms: ComparisonArm[];
}

export interface BatchReport {
  schema_version: 1;
  study: string;
  batch_id: string;
  objective: string;
  scenario_rev: string;
  config_rev: string;
  created_at: string;
  generated_at: string;
  base_paths: Record<string, string>;
  stages: string[];
  metrics: MetricInfo[];
  variants: ReportVariant[];
  gate_summary: Record<StageCell, number>;
  /** success when every variant's last execution succeeded. */
  batch_state: 'success' | 'failed' | 'incomplete';
  segments: SegmentTable[];
  stability: { seeds: number[]; single_seed: boolean; caveat: string | null; arms: StabilityArm[] };
  comparison: Comparison | null;
  /** Variant × run × execution × state, to tell later whether the report is stale. */
  state: string;
}
