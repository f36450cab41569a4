/**
 * `runr ops … --html <file>`: the page of one RunOps invocation, from what the command has just
 * seen (every check with its detail, the compaction metrics of each envelope), not only from the
 * record. Works for an unrecorded invocation too (`--no-record`, `ops scan`).
 */
import path from 'node:path';
import type { ManifestEntry } from '../core/manifest/entry.js';
import type { OpsCandidateView, OpsDetail } from '../core/view/model.js';
import { OPS_CHECKS } from '../core/view/model.js';
import { checkDetail, compactionFromEnvelope } from '../core/view/ops-detail.js';
import type { LifecycleResult } from '../ops/lifecycle.js';
import { relToRoot } from '../store/project.js';
import type { Project } from '../store/project.js';
import { relativeHref } from './links.js';
import type { WriteViewResult } from './write.js';
import { writeView } from './write.js';

export interface OpsPageOptions {
  cwd: string;
  project: Project;
  out: string;
  /** The run recording this invocation, or null (not recorded). */
  opsRunId: string | null;
  exitCode: number;
  startedAt: Date;
  now?: () => Date;
}

function candidates(r: LifecycleResult): OpsCandidateView[] {
  return r.runs.map((o) => {
    const v = o.verification as unknown as Record<string, Record<string, unknown> | undefined> | null;
    const names = v === null ? [...OPS_CHECKS] : Object.keys(v).filter((k) => k !== 'overall');
    return {
      model_id: o.candidate.model_id,
      instance_id: o.candidate.instance_id,
      scan_status: o.scan_status,
      status: o.candidate.status,
      monitor_timeout: o.monitor?.monitor_timeout === true,
      verifier_pass: v === null ? null : o.verifier_pass,
      checks: names.map((name) => {
        const c = v?.[name];
        return { name, pass: c === undefined ? null : c.pass === true, detail: c === undefined ? null : checkDetail(c) };
      }),
      compaction: compactionFromEnvelope(o.candidate.envelope),
    };
  });
}

export async function writeOpsPage(r: LifecycleResult, o: OpsPageOptions): Promise<WriteViewResult> {
  const now = (o.now ?? (() => new Date()))();
  const out = path.resolve(o.cwd, o.out);
  const id = o.opsRunId ?? `ops (not recorded) ${r.settings.runId}`;
  const status = r.canceled ? 'CANCELED' : o.exitCode === 0 ? 'PASSED' : 'FAILED';
  const detail: OpsDetail = {
    kind: 'ops',
    run_id: id,
    status,
    started_at: o.startedAt.toISOString(),
    finished_at: now.toISOString(),
    audit: null,
    stage: r.stage,
    runtime_dir: relToRoot(o.project, r.layout.root),
    harness_run_id: r.settings.runId,
    report: r.report === null ? null : { path: relToRoot(o.project, r.report.abs), href: relativeHref(path.dirname(out), r.report.abs), sha256: r.report.sha256, generated: r.report.generated, kind: r.report.kind },
    counts: { candidates: r.runs.length, valid: r.classified.valid.length, invalid: r.classified.invalid.length, verification_failures: r.classified.failures.length },
    candidates: candidates(r),
  };
  const entry: ManifestEntry = {
    run_id: id,
    framework: 'runr',
    path: id,
    start_time: detail.started_at,
    end_time: detail.finished_at,
    verification_status: r.classified.failures.length > 0 ? 'FAIL' : 'PASS',
    total_tokens_in: 0,
    total_tokens_out: 0,
    kind: 'ops',
    workflow: 'ops',
    status,
    stop_reason: null,
    params: { stage: r.stage, run_id: r.settings.runId, preset: r.settings.preset },
    metrics: { candidates: detail.counts.candidates, valid_runs: detail.counts.valid },
    tags: {},
  };
  return writeView({
    cwd: o.cwd,
    runsDir: o.project.runsDir,
    out,
    scope: 'ops',
    runIds: [id],
    title: `runr ops — ${r.settings.preset ?? r.settings.runId}`,
    given: { entries: [entry], details: { [id]: detail } },
    ...(o.now !== undefined ? { now: o.now } : {}),
  });
}
