/**
 * How `ops.*` events change RUN.json (pure). `ops.started` sets the run RUNNING with the stage as
 * its phase; `ops.completed` sets the final status, `finished_at`, counts in `metrics` (for
 * `runr find`), `verification_status`, and an `ops` section with the candidates and the report.
 */
import type { EventOf } from '../events/index.js';
import type { RunRecord } from '../schemas/run.js';

type Ts = { ts: string; seq: number };

export function onOpsStarted(run: RunRecord, e: EventOf<'ops.started'> & Ts): RunRecord {
  run.status = 'RUNNING';
  run.phase = e.stage;
  run.events.push({ timestamp: e.ts, type: 'OPS_STARTED', message: `RunOps ${e.stage} started` });
  return run;
}

export function onOpsCompleted(run: RunRecord, e: EventOf<'ops.completed'> & Ts): RunRecord {
  run.status = e.status;
  run.finished_at = e.ts;
  run.phase = null;
  const verified = e.candidates.some((c) => c.verifier_pass !== null);
  run.verification_status = verified ? (e.counts.verification_failures === 0 ? 'PASS' : 'FAIL') : null;
  run.metrics = {
    ...(run.metrics ?? {}),
    candidates: e.counts.candidates,
    valid_runs: e.counts.valid,
    invalid_runs: e.counts.invalid,
    verification_failures: e.counts.verification_failures,
    report_generated: e.report_generated,
    exit_code: e.exit_code,
  };
  run.ops = {
    stage: e.stage,
    runtime_dir: e.runtime_dir,
    run_id: e.run_id,
    report_path: e.report_path,
    report_sha256: e.report_sha256,
    report_generated: e.report_generated,
    report_kind: e.report_kind,
    candidates: e.candidates,
  };
  run.events.push({
    timestamp: e.ts,
    type: 'OPS_COMPLETED',
    status: e.status,
    message: `RunOps ${e.stage}: ${e.counts.valid} valid, ${e.counts.invalid} invalid of ${e.counts.candidates} runs${e.report_path !== null ? `; report ${e.report_path}` : ''}`,
  });
  return run;
}
