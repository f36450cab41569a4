/** The `--json` shape of every `runr ops` command (documented in docs/ops.md). */
import { failedChecks, pyToJson } from '../core/ops/verify-checks.js';
import { notVerifiedReason } from '../core/ops/lifecycle-rules.js';
import type { RunOutcome } from '../core/ops/types.js';
import type { LifecycleResult } from './lifecycle.js';
import { shownPath } from './runtime-layout.js';

function runJson(r: LifecycleResult, o: RunOutcome & { scan_status: string }): Record<string, unknown> {
  const c = o.candidate;
  const show = (p: string) => shownPath(r.layout, p);
  return {
    model_id: c.model_id,
    instance_id: c.instance_id,
    run_id: c.run_id,
    seed: c.seed,
    scan_status: o.scan_status,
    status: c.status,
    envelope: show(c.envelope_path),
    envelope_exists: c.has_final,
    tmp: c.tmp_path === null ? null : show(c.tmp_path),
    events: show(c.events_path),
    metrics: show(c.metrics_path),
    exit_status: pyToJson(c.envelope.get('exit_status')),
    total_cases_completed: pyToJson(c.envelope.get('total_cases_completed')),
    total_cases_expected: pyToJson(c.envelope.get('total_cases_expected')),
    schema_version: pyToJson(c.envelope.get('schema_version')),
    error: c.error,
    monitor: o.monitor,
    verifier_pass: o.verification === null ? null : o.verifier_pass,
    failed_checks: o.verification === null ? [] : failedChecks(o.verification),
    verification: o.verification,
  };
}

export function resultJson(r: LifecycleResult, extra: { opsRunId: string | null; notes: string[]; exitCode: number }): Record<string, unknown> {
  const s = r.settings;
  const id = (o: RunOutcome) => ({ model_id: o.candidate.model_id, instance_id: o.candidate.instance_id });
  return {
    stage: r.stage,
    ops_run_id: extra.opsRunId,
    settings: {
      runtime_dir: s.runtimeDir,
      preset: s.preset,
      run_id: s.runId,
      seed: s.seed,
      models: s.models,
      min_valid: s.minValid,
      poll_s: s.pollSec,
      timeout_s: s.timeoutSec,
      stale_after_s: s.staleAfterSec,
      report: s.report,
      report_filename: s.reportFilename,
      strict_tmp: s.strictTmp,
      verifier: s.verifier,
    },
    notes: extra.notes,
    warnings: r.warnings,
    runs: r.runs.map((o) => runJson(r, o)),
    valid_runs: r.classified.valid.map(id),
    invalid_runs: r.classified.invalid.map((o) => ({
      ...id(o),
      status: o.candidate.status,
      reason: o.verification !== null ? 'verification failed' : notVerifiedReason(o),
    })),
    verification_failures: r.classified.failures.map((o) => ({
      ...id(o),
      failed_checks: o.verification === null ? [] : failedChecks(o.verification),
      verification: o.verification,
    })),
    report_path: r.report?.shown ?? null,
    report_generated: r.report?.generated ?? false,
    report_kind: r.report?.kind ?? null,
    recommendation: r.recommendation,
    canceled: r.canceled,
    exit_code: extra.exitCode,
  };
}
