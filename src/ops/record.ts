/**
 * Each RunOps invocation is itself a run in the store (kind `ops`), so it shows in `runr find`:
 * created before the work starts (`ops.started`), completed with the candidates, their check
 * results and the report path (`ops.completed`). Paths are repository-relative.
 */
import path from 'node:path';
import type { OpsCandidate, OpsStage } from '../core/events/ops.js';
import { slugify } from '../core/ids.js';
import type { OpsSettings } from '../core/ops/settings.js';
import { failedChecks } from '../core/ops/verify-checks.js';
import { compactionFromEnvelope } from '../core/view/ops-detail.js';
import { VERSION } from '../core/version.js';
import type { RunStore } from '../store/run-store.js';
import { relToRoot } from '../store/project.js';
import type { LifecycleResult } from './lifecycle.js';

export interface OpsRecord {
  store: RunStore;
  runId: string;
}

export async function startRecord(store: RunStore, stage: OpsStage, settings: OpsSettings, runtimeAbs: string): Promise<OpsRecord> {
  const slug = `ops-${slugify(settings.preset ?? settings.runId)}`.slice(0, 60).replace(/[-._]+$/, '');
  const run = await store.create({
    kind: 'ops',
    workflow: { name: 'ops', version: VERSION, slug, artifact_path: relToRoot(store.project, runtimeAbs) },
    depth: 'standard',
    prompt: null,
    params: {
      stage,
      runtime_dir: relToRoot(store.project, runtimeAbs),
      preset: settings.preset,
      run_id: settings.runId,
      seed: settings.seed,
      models: settings.models,
      min_valid: settings.minValid,
      report: settings.report,
      strict_tmp: settings.strictTmp,
    },
    tags: { ops_stage: stage, ...(settings.preset !== null ? { ops_preset: settings.preset } : {}) },
    gates: [],
  });
  await store.mutate(run.run_id, () => [{ type: 'ops.started', stage }]);
  return { store, runId: run.run_id };
}

function candidatesOf(r: LifecycleResult): OpsCandidate[] {
  return r.runs.map((o) => ({
    model_id: o.candidate.model_id,
    instance_id: o.candidate.instance_id,
    scan_status: o.scan_status,
    status: o.candidate.status,
    monitor_timeout: o.monitor?.monitor_timeout === true,
    verifier_pass: o.verification === null ? null : o.verifier_pass,
    failed_checks: o.verification === null ? [] : failedChecks(o.verification),
    compaction: compactionFromEnvelope(o.candidate.envelope),
  }));
}

export async function finishRecord(rec: OpsRecord, r: LifecycleResult, exitCode: number): Promise<void> {
  const project = rec.store.project;
  const status = r.canceled ? 'CANCELED' : exitCode === 0 ? 'PASSED' : 'FAILED';
  await rec.store.mutate(rec.runId, () => [
    {
      type: 'ops.completed',
      stage: r.stage,
      status,
      exit_code: exitCode,
      runtime_dir: relToRoot(project, r.layout.root),
      run_id: r.settings.runId,
      candidates: candidatesOf(r),
      report_path: r.report === null ? null : relToRoot(project, r.report.abs),
      report_sha256: r.report?.sha256 ?? null,
      report_generated: r.report?.generated ?? false,
      report_kind: r.report?.kind ?? null,
      counts: {
        candidates: r.runs.length,
        valid: r.classified.valid.length,
        invalid: r.classified.invalid.length,
        verification_failures: r.classified.failures.length,
      },
    },
  ]);
}

/** The record of an invocation that failed with an error: FAILED, nothing else known. */
export async function abortRecord(rec: OpsRecord, stage: OpsStage, settings: OpsSettings, runtimeAbs: string, exitCode: number): Promise<void> {
  await rec.store.mutate(rec.runId, () => [
    {
      type: 'ops.completed',
      stage,
      status: 'FAILED',
      exit_code: exitCode,
      runtime_dir: relToRoot(rec.store.project, path.resolve(runtimeAbs)),
      run_id: settings.runId,
      candidates: [],
      report_path: null,
      report_sha256: null,
      report_generated: false,
      report_kind: null,
      counts: { candidates: 0, valid: 0, invalid: 0, verification_failures: 0 },
    },
  ]);
}
