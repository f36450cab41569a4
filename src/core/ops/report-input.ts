/** What a report generator gets: the valid runs with their files loaded, and the runs left out. */
import type { PyDict, PyValue } from './pyvalue.js';

export interface ReportRun {
  instance_id: string;
  model_id: string;
  seed: number | null;
  /** The envelope (`.run.json`). */
  envelope: PyDict;
  /** `.metrics.json` (empty when missing, as the harness reads it). */
  metrics: PyDict;
  /** The execution log's events, in order. */
  events: PyValue[];
}

/** A run that is not in the report, and why. */
export interface ExcludedRun {
  model_id: string;
  instance_id: string;
  /** Failing verifier checks (empty when the run was never verified). */
  failed_checks: string[];
  /** e.g. `incomplete (monitor_timeout)`, `active`, `unreadable: ...`; null for verification failures. */
  reason: string | null;
}

export interface ReportInput {
  title: string;
  subtitle: string | null;
  /** The `--run-id` as given (the harness prints it in the default subtitle). */
  run_id: string;
  runs: ReportRun[];
  excluded: ExcludedRun[];
}
