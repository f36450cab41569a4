/** The detail of a workflow run for the page (pure): gates, attempts, validations and why, artifacts, invocations. */
import { reasonFor } from '../gates/failure-reason.js';
import type { Attempt, RunRecord, ValidationResult } from '../schemas/run.js';
import type { ArtifactView, AttemptView, AuditSummary, ValidationView, WorkflowDetail } from './model.js';

/** Resolves a recorded path (template) to a link relative to the HTML file; null when it escapes. */
export type HrefOf = (recordedPath: string) => string | null;

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export function validationView(v: ValidationResult): ValidationView {
  const warned = v.severity === 'warning' && v.warning === true;
  const outcome = warned ? 'warn' : v.pass ? 'pass' : 'fail';
  return {
    type: v.type,
    outcome,
    description: str(v.description),
    target: str(v.path) ?? str(v.target) ?? str(v.pattern),
    why: outcome === 'pass' ? null : reasonFor({ ...v, pass: false }),
  };
}

function attemptView(a: Attempt, href: HrefOf): AttemptView {
  return {
    attempt: a.attempt,
    status: a.status,
    started_at: a.started_at,
    finished_at: a.finished_at,
    agent: a.agent,
    executor: a.executor ?? null,
    prompt_sha256: a.prompt_sha256 ?? null,
    failure_reason: a.failure_reason,
    invocation_ids: a.invocation_ids,
    validations: a.validations.map(validationView),
    artifacts: a.artifacts.map((x) => ({ path: x.path, sha256: x.sha256, exists: x.exists, bytes: x.bytes ?? null, href: x.exists ? href(x.path) : null })),
    revalidations: (a.revalidations ?? []).map((r) => ({ status: r.status, finished_at: r.finished_at, failure_reason: r.failure_reason })),
  };
}

export function workflowDetail(run: RunRecord, href: HrefOf, audit: AuditSummary | null, artifactAudit: ReadonlyMap<string, string> = new Map()): WorkflowDetail {
  const artifacts: ArtifactView[] = run.artifacts_index.map((x) => {
    const audited = artifactAudit.get(x.path);
    return { path: x.path, sha256: x.sha256, exists: audited !== 'missing', bytes: null, href: audited === 'missing' || audited === 'escapes' ? null : href(x.path), gate: x.gate, ...(audited !== undefined ? { audit: audited } : {}) };
  });
  return {
    kind: 'workflow',
    run_id: run.run_id,
    status: run.status,
    started_at: run.started_at,
    finished_at: run.finished_at,
    audit,
    workflow: { name: run.workflow.name, version: run.workflow.version, slug: run.workflow.slug, artifact_path: run.workflow.artifact_path },
    depth: run.depth,
    prompt_sha256: run.prompt?.sha256 ?? null,
    gates: run.gates.map((g) => ({ gate: g.gate, name: g.name, status: g.status, attempts: g.attempts.map((a) => attemptView(a, href)) })),
    invocations: run.invocations.map((i) => ({ invocation_id: i.invocation_id, gate: i.gate, agent: i.agent, model: i.model, status: i.status, started_at: i.started_at, duration_ms: i.duration_ms })),
    artifacts,
  };
}
