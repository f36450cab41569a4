/** `runr audit` of one run, reduced to what the page shows. */
import type { AuditReport } from '../project/audit-run.js';
import { auditRun } from '../project/audit-run.js';
import type { AuditSummary } from '../core/view/model.js';
import type { RunStore } from '../store/run-store.js';

export function summarizeAudit(r: AuditReport): AuditSummary {
  const artifacts: AuditSummary['artifacts'] = { ok: 0, drift: 0, missing: 0, escapes: 0 };
  for (const a of r.artifacts) artifacts[a.status] += 1;
  return {
    ok: r.ok,
    journal_present: r.journal.present,
    events: r.journal.events,
    chain_ok: r.journal.chain_ok,
    chain_problems: r.journal.problems.map((p) => `line ${p.line}: ${p.problem}`),
    torn_line: r.journal.torn_line,
    snapshot_in_step: r.snapshot.in_step,
    snapshot_detail: r.snapshot.detail,
    attempt_files_checked: r.attempt_files.checked,
    attempt_files_mismatched: r.attempt_files.mismatched,
    artifacts,
  };
}

/** The audit and the per-artifact status (by recorded path); null when the audit itself fails. */
export async function auditFor(store: RunStore, runId: string): Promise<{ summary: AuditSummary; artifacts: Map<string, string> } | null> {
  try {
    const r = await auditRun(store, runId);
    return { summary: summarizeAudit(r), artifacts: new Map(r.artifacts.map((a) => [a.path, a.status])) };
  } catch {
    return null;
  }
}
