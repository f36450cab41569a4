/** The detail of a RunOps invocation (kind `ops`) for the page (pure). */
import type { PyDict } from '../ops/pyvalue.js';
import type { RunRecord } from '../schemas/run.js';
import type { AuditSummary, CompactionMetrics, OpsCandidateView, OpsDetail } from './model.js';
import { COMPACTION_KEYS, OPS_CHECKS } from './model.js';
import type { HrefOf } from './workflow-detail.js';

const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const s = (v: unknown, d = ''): string => (typeof v === 'string' ? v : d);
const n = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

export function compactionOf(v: unknown): CompactionMetrics | null {
  const m = obj(v);
  const out: CompactionMetrics = {};
  for (const k of COMPACTION_KEYS) if (typeof m[k] === 'number' && Number.isFinite(m[k])) out[k] = m[k];
  return Object.keys(out).length > 0 ? out : null;
}

/** One candidate as the record keeps it: failing check names only (the detail lives in the harness's files). */
export function candidateView(c: Record<string, unknown>): OpsCandidateView {
  const verified = typeof c.verifier_pass === 'boolean' ? c.verifier_pass : null;
  const failed = new Set(Array.isArray(c.failed_checks) ? c.failed_checks.filter((x): x is string => typeof x === 'string') : []);
  const names: string[] = [...OPS_CHECKS, ...[...failed].filter((f) => !(OPS_CHECKS as readonly string[]).includes(f))];
  return {
    model_id: s(c.model_id),
    instance_id: s(c.instance_id),
    scan_status: s(c.scan_status),
    status: s(c.status),
    monitor_timeout: c.monitor_timeout === true,
    verifier_pass: verified,
    checks: names.map((name) => ({ name, pass: verified === null ? null : !failed.has(name), detail: null })),
    compaction: compactionOf(c.compaction),
  };
}

export function opsDetail(run: RunRecord, href: HrefOf, audit: AuditSummary | null): OpsDetail {
  const ops = obj(run.ops);
  const metrics = obj(run.metrics);
  const reportPath = typeof ops.report_path === 'string' ? ops.report_path : null;
  return {
    kind: 'ops',
    run_id: run.run_id,
    status: run.status,
    started_at: run.started_at,
    finished_at: run.finished_at,
    audit,
    stage: s(ops.stage, s(run.phase, '')),
    runtime_dir: s(ops.runtime_dir, run.workflow.artifact_path),
    harness_run_id: s(ops.run_id),
    report:
      reportPath === null
        ? null
        : { path: reportPath, href: href(reportPath), sha256: typeof ops.report_sha256 === 'string' ? ops.report_sha256 : null, generated: ops.report_generated === true, kind: typeof ops.report_kind === 'string' ? ops.report_kind : null },
    counts: { candidates: n(metrics.candidates), valid: n(metrics.valid_runs), invalid: n(metrics.invalid_runs), verification_failures: n(metrics.verification_failures) },
    candidates: (Array.isArray(ops.candidates) ? ops.candidates : []).map((c) => candidateView(obj(c))),
  };
}

/** The four compaction metrics of a harness envelope (`envelope.metrics`), as plain numbers. */
export function compactionFromEnvelope(envelope: PyDict): CompactionMetrics | null {
  const metrics = envelope.get('metrics');
  if (!(metrics instanceof Map)) return null;
  const out: CompactionMetrics = {};
  for (const k of COMPACTION_KEYS) {
    const v = metrics.get(k);
    if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
    else if (typeof v === 'bigint') out[k] = Number(v);
  }
  return Object.keys(out).length > 0 ? out : null;
}

/** A check as the verifier wrote it (`{pass, ...detail}`): the detail as one short line. */
export function checkDetail(check: Record<string, unknown>): string | null {
  const { pass: _p, ...rest } = check;
  const text = Object.entries(rest)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
  return text === '' ? null : text.length > 400 ? `${text.slice(0, 400)}…` : text;
}
