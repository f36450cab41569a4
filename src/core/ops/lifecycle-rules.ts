/**
 * The lifecycle's decisions, pure. Differences from the harness (runr's fixes, FORMATS.md §000):
 * a verification failure no longer aborts the report (valid runs are reported, failures listed);
 * the exit code says whether the report could be trusted.
 */
import { ExitCode } from '../errors.js';
import type { ExcludedRun } from './report-input.js';
import type { RunOutcome } from './types.js';
import { failedChecks } from './verify-checks.js';

export interface Classified {
  valid: RunOutcome[];
  /** Every run that is not valid, in scan order (the harness's order). */
  invalid: RunOutcome[];
  /** The invalid runs that were verified and failed. */
  failures: RunOutcome[];
}

export function classify(outcomes: readonly RunOutcome[]): Classified {
  const valid: RunOutcome[] = [];
  const invalid: RunOutcome[] = [];
  const failures: RunOutcome[] = [];
  for (const o of outcomes) {
    if (o.verification?.overall.pass === true) {
      valid.push(o);
      continue;
    }
    invalid.push(o);
    if (o.verification !== null) failures.push(o);
  }
  return { valid, invalid, failures };
}

/** Why a run was not verified, in words (`incomplete (monitor_timeout)`, `unreadable: …`). */
export function notVerifiedReason(o: RunOutcome): string {
  const status = o.monitor?.status ?? o.candidate.status;
  if (status === 'unreadable') return `unreadable: ${o.candidate.error ?? 'envelope could not be read'}`;
  const gone = o.monitor?.abandoned;
  if (o.monitor?.outcome === 'abandoned' && gone !== undefined) return `abandoned (${gone.tmp} unchanged for ${gone.unchanged_s} s)`;
  if (o.monitor?.monitor_timeout === true) return `${status} (monitor_timeout)`;
  if (o.monitor?.outcome === 'canceled') return `${status} (monitoring canceled)`;
  return status;
}

export function excludedOf(invalid: readonly RunOutcome[]): ExcludedRun[] {
  return invalid.map((o) => ({
    model_id: o.candidate.model_id,
    instance_id: o.candidate.instance_id,
    failed_checks: o.verification !== null ? failedChecks(o.verification) : [],
    reason: o.verification !== null ? null : notVerifiedReason(o),
  }));
}

/** `full`: the generator's report from the valid runs; `awaiting`: the harness's "Awaiting valid artifacts." text. */
export type ReportKind = 'full' | 'awaiting';

export function reportKind(validCount: number, minValid: number): ReportKind {
  return validCount >= minValid ? 'full' : 'awaiting';
}

/**
 * 0 when a report was generated from at least min-valid valid runs, no run failed verification
 * and no run was abandoned (a temp file nobody writes); 1 otherwise; always 0 with `--exit-zero`
 * (the harness's behaviour).
 */
export function lifecycleExitCode(o: { reportGenerated: boolean; verificationFailures: number; abandoned?: number; exitZero: boolean }): ExitCode {
  if (o.exitZero) return ExitCode.ok;
  return o.reportGenerated && o.verificationFailures === 0 && (o.abandoned ?? 0) === 0 ? ExitCode.ok : ExitCode.failed;
}
