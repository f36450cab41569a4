/**
 * One manifest entry: the original genai-devbench fields, in their original order, then runr's own.
 * Entries are written one per line (see serialize.ts), so the key order here is the column order
 * people see in `git diff`.
 */
import type { RunRecord, RunStatus } from '../schemas/run.js';

export interface ManifestEntry {
  run_id: string;
  framework: string;
  /** Run directory relative to the runs directory (`<run_id>` for runr, `<framework>/<run_id>` for dev-benchmark runs). */
  path: string;
  /** ISO 8601 (epoch seconds from foreign files are converted). */
  start_time: string | null;
  end_time: string | null;
  verification_status: string;
  total_tokens_in: number;
  total_tokens_out: number;
  kind: string | null;
  workflow: string | null;
  status: string | null;
  stop_reason: string | null;
  params: Record<string, unknown>;
  metrics: Record<string, unknown>;
  tags: Record<string, string>;
  /** Keys written by other tools (e.g. the original's later `experiment_name`) are kept, after runr's. */
  [extra: string]: unknown;
}

export const ORIGINAL_ENTRY_KEYS = ['run_id', 'framework', 'path', 'start_time', 'end_time', 'verification_status', 'total_tokens_in', 'total_tokens_out'] as const;
export const RUNR_ENTRY_KEYS = ['kind', 'workflow', 'status', 'stop_reason', 'params', 'metrics', 'tags'] as const;
export const ENTRY_KEYS: readonly string[] = [...ORIGINAL_ENTRY_KEYS, ...RUNR_ENTRY_KEYS];

/**
 * The verification vocabulary: the original's reconciler statuses (`pending`, `verified`,
 * `warning`, `data_not_available`) plus two runr derives for its own runs.
 */
export type DerivedVerification = 'pending' | 'verified' | 'failed' | 'unverified';

/**
 * A runr run without an explicit `verification_status` gets one from its status: its gates or
 * verification commands are what "verified" means for runr. A stopped run may still resume, so it
 * is pending; a canceled one never will be verified.
 */
export const VERIFICATION_BY_STATUS = {
  QUEUED: 'pending',
  RUNNING: 'pending',
  STOPPED: 'pending',
  PASSED: 'verified',
  FAILED: 'failed',
  CANCELED: 'unverified',
} as const satisfies Record<RunStatus, DerivedVerification>;

export const DEFAULT_FRAMEWORK = 'runr';

/** Token counters in a record's metrics, by preference: runr's names, the original's, dev-benchmark's. */
const TOKENS_IN_KEYS = ['tokens_in', 'total_tokens_in', 'TOK_IN'] as const;
const TOKENS_OUT_KEYS = ['tokens_out', 'total_tokens_out', 'TOK_OUT'] as const;

export function firstCount(map: Record<string, unknown> | undefined, keys: readonly string[]): number {
  if (map === undefined) return 0;
  for (const k of keys) {
    const v = Object.hasOwn(map, k) ? map[k] : undefined;
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
  }
  return 0;
}

/** The entry for a runr (or Orchestration Runner) record. `path` is the run directory relative to the runs directory. */
export function entryFromRecord(run: RunRecord, path: string = run.run_id): ManifestEntry {
  const metrics = run.metrics ?? {};
  return {
    run_id: run.run_id,
    framework: run.framework ?? DEFAULT_FRAMEWORK,
    path,
    start_time: run.started_at,
    end_time: run.finished_at,
    verification_status: run.verification_status ?? VERIFICATION_BY_STATUS[run.status],
    total_tokens_in: firstCount(metrics, TOKENS_IN_KEYS),
    total_tokens_out: firstCount(metrics, TOKENS_OUT_KEYS),
    // Records of the Orchestration Runner have no kind: all of its runs are workflow runs.
    kind: run.kind ?? 'workflow',
    workflow: run.workflow.name,
    status: run.status,
    stop_reason: run.stop_reason ?? null,
    params: run.params ?? {},
    metrics,
    tags: run.tags ?? {},
  };
}

/** Convert a recorded time (ISO string or epoch seconds) to the manifest's ISO form; null when absent or unusable. */
export function normalizeTime(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' && Number.isFinite(value)) {
    // Epoch seconds (dev-benchmark); values this large are milliseconds.
    const ms = value > 1e11 ? value : value * 1000;
    const d = new Date(ms);
    return Number.isNaN(d.getTime()) ? null : d.toISOString();
  }
  return null;
}
