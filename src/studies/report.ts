/**
 * The data of a batch report as a plain, JSON-serialisable object (`batchReportData`), for
 * `runr batch report` and for any other renderer (e.g. a viewer). Reads the manifest, the
 * pipeline's metrics and each variant's record; never writes. `writeReport` writes report.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StateError, UserError } from '../core/errors.js';
import { checkBatch } from '../core/studies/ids.js';
import { armLabel } from '../core/studies/manifest.js';
import type { BatchManifest } from '../core/studies/manifest.js';
import type { BatchInput } from '../core/studies/report-build.js';
import { buildReport } from '../core/studies/report-build.js';
import type { BatchReport, ReportVariant, StageCell, VariantState } from '../core/studies/report-model.js';
import { renderReportMarkdown } from '../core/studies/report-md.js';
import { writeFileAtomicSync } from '../store/atomic.js';
import { sha256Text } from '../store/hash.js';
import type { RunStore } from '../store/run-store.js';
import type { StudiesRoot } from './layout.js';
import { StudyLayout } from './layout.js';
import { readManifest } from './manifest-io.js';
import type { LoadedPipeline } from './pipeline-io.js';
import { loadPipeline } from './pipeline-io.js';
import { readVariantState, variantBusy } from './variant-state.js';
import { checkLabel } from './checks.js';

export function variantsOf(layout: StudyLayout, store: RunStore, m: BatchManifest, stages: readonly string[]): ReportVariant[] {
  return m.variants.map((v) => {
    const vAbs = path.join(layout.batchDir(m.batch_id), 'variants', v.id);
    const st = readVariantState(store, vAbs);
    const sec = st.section;
    let state: VariantState = 'not_run';
    if (sec !== null) {
      if (sec.running) state = variantBusy(vAbs) ? 'running' : 'interrupted';
      else state = sec.outcome ?? 'not_run';
    }
    const cells: Record<string, StageCell> = {};
    const notes: Record<string, string> = {};
    const metrics: Record<string, number | null> = {};
    for (const s of stages) {
      const x = sec?.stages[s];
      cells[s] = x === undefined ? 'NOT_RUN' : x.status;
      if (x?.status === 'FAIL' && x.failure_reason !== null) notes[s] = x.failure_reason;
      else if (x?.status === 'WARN') notes[s] = x.checks.filter((c) => c.status === 'WARN').map((c) => `WARN ${checkLabel(c)}${c.detail !== null ? `: ${c.detail}` : ''}`).join('; ');
      if (x !== undefined) Object.assign(metrics, x.metrics);
    }
    return { id: v.id, seed: v.seed, overrides: v.overrides, arm: armLabel(v.overrides), run_id: st.runId, state, executions: sec?.execution ?? 0, stages: cells, stage_notes: notes, metrics };
  });
}

export interface ReportOptions {
  study: string;
  batch: string;
  /** A batch id, `latest` (registry/latest.txt), or null for no comparison. */
  baseline: string | null;
  force: boolean;
  pipeline: string | undefined;
  cwd: string;
  now: Date;
}

export function readLatest(layout: StudyLayout): string | null {
  try {
    const id = fs.readFileSync(layout.latestTxt, 'utf8').trim();
    return checkBatch(id) === null ? id : null;
  } catch {
    return null;
  }
}

async function batchInput(layout: StudyLayout, store: RunStore, batch: string, lp: LoadedPipeline): Promise<BatchInput> {
  const manifest = await readManifest(layout, batch);
  return { manifest, variants: variantsOf(layout, store, manifest, lp.graph.order) };
}

/** The report of a batch as plain data (see docs/studies.md, "Report data"). */
export async function batchReportData(root: StudiesRoot, store: RunStore, o: ReportOptions): Promise<BatchReport> {
  const layout = new StudyLayout(root, o.study);
  layout.requireExists();
  const lp = await loadPipeline(layout, o.cwd, o.pipeline);
  const current = await batchInput(layout, store, o.batch, lp);
  let baseline: BatchInput | null = null;
  if (o.baseline !== null) {
    let id = o.baseline;
    if (id === 'latest') {
      const l = readLatest(layout);
      if (l === null) throw new UserError(`--baseline latest: ${layout.display(layout.latestTxt)} names no promoted batch yet (runr batch promote ${o.study} <batch_id>)`);
      id = l;
    } else if (checkBatch(id) !== null) throw new UserError(`--baseline: ${checkBatch(id) ?? ''}`);
    baseline = await batchInput(layout, store, id, lp);
  }
  const r = buildReport({ current, pipeline: lp.pipeline, stages: lp.graph.order, baseline, force: o.force, generatedAt: `${o.now.toISOString().slice(0, 19)}Z` });
  if (!r.ok) throw new StateError(`not comparable with baseline ${r.baseline}: ${r.reasons.join('; ')} (use --force to record the comparison as not comparable)`);
  return r.report;
}

export function reportStateSha(r: BatchReport): string {
  return sha256Text(r.state);
}

export function writeReport(root: StudiesRoot, r: BatchReport): { file: string; markdown: string } {
  const layout = new StudyLayout(root, r.study);
  const markdown = renderReportMarkdown(r, reportStateSha(r));
  const file = layout.reportFile(r.batch_id);
  writeFileAtomicSync(file, markdown);
  return { file: layout.display(file), markdown };
}
