/** The data RunOps passes between its stages (scan → monitor → verify → report). */
import type { PyDict } from './pyvalue.js';

/**
 * A run's state as scan sees it.
 * - active: a temp envelope sibling exists (the harness is still writing), with or without a final envelope.
 * - incomplete: final envelope, but `exit_status != "normal"` or completed != expected.
 * - complete: final envelope, normal exit, all cases completed.
 * - unreadable: the envelope exists but is not a JSON object (runr addition: the original crashed).
 */
export const SCAN_STATUSES = ['active', 'incomplete', 'complete', 'unreadable'] as const;
export type ScanStatus = (typeof SCAN_STATUSES)[number];

/** Why a run ended up where it did after monitoring. */
export const MONITOR_OUTCOMES = ['finished', 'finished_incomplete', 'unreadable', 'timeout', 'canceled', 'abandoned'] as const;
export type MonitorOutcome = (typeof MONITOR_OUTCOMES)[number];

export interface Candidate {
  /** The run id in the file name (the `--run-id` glob resolved for this file). */
  run_id: string;
  instance_id: string;
  seed: number | null;
  /** `str(envelope.get("model_id", ""))`. */
  model_id: string;
  status: ScanStatus;
  /** Absolute paths. */
  envelope_path: string;
  metrics_path: string;
  events_path: string;
  /** The temp sibling that exists, if any (absolute). */
  tmp_path: string | null;
  /** Whether the final `.run.json` exists (false: only the temp file was found). */
  has_final: boolean;
  /** The envelope as Python would load it (empty when missing or unreadable). */
  envelope: PyDict;
  /** Why the envelope could not be read (status unreadable), else null. */
  error: string | null;
}

export interface MonitorResult {
  outcome: MonitorOutcome;
  /** Status after monitoring: complete, incomplete or unreadable. */
  status: ScanStatus;
  monitor_timeout: boolean;
  waited_ms: number;
  /** outcome `abandoned`: the temp file nobody writes any more, and how long it had not changed (`--stale-after`). */
  abandoned?: { tmp: string; unchanged_s: number };
}

/** One verifier check: `{pass, ...detail}` exactly as the harness's verifier writes it. */
export type Check = { pass: boolean } & Record<string, unknown>;

/** The harness's verifier result: the six checks (plus runr's optional external one) and `overall`. */
export interface Verification {
  total_cases_completed: Check;
  execution_log_hash: Check;
  sandbox_hashes_recorded: Check;
  no_tmp_remains: Check;
  schema_version_valid: Check;
  compaction_metrics_consistent: Check;
  external_verifier?: Check;
  overall: { pass: boolean };
}

export const CHECK_NAMES = [
  'total_cases_completed',
  'execution_log_hash',
  'sandbox_hashes_recorded',
  'no_tmp_remains',
  'schema_version_valid',
  'compaction_metrics_consistent',
  'external_verifier',
] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

/** A candidate after the lifecycle: what monitor and verify made of it. */
export interface RunOutcome {
  candidate: Candidate;
  monitor: MonitorResult | null;
  /** null when the run was never verified (not complete). */
  verification: Verification | null;
  verifier_pass: boolean;
}

export const REPORT_GENERATORS = ['compaction-signal', 'summary'] as const;
export type ReportGenerator = (typeof REPORT_GENERATORS)[number];
