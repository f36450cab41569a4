/**
 * `runr batch promote`: write registry/latest.txt only when the batch succeeded (every variant's
 * last execution), has no FAIL gate, and has a report that is not stale (written after the last
 * execution). Each condition that fails is named.
 */
import fs from 'node:fs';
import { reportStateOf } from '../core/studies/report-md.js';
import { writeFileAtomicSync } from '../store/atomic.js';
import type { RunStore } from '../store/run-store.js';
import type { StudiesRoot } from './layout.js';
import { StudyLayout } from './layout.js';
import { readManifest } from './manifest-io.js';
import { loadPipeline } from './pipeline-io.js';
import { readRegistry } from './registry.js';
import { readLatest, variantsOf } from './report.js';
import { sha256Text } from '../store/hash.js';

export interface PromoteCondition {
  name: 'batch_succeeded' | 'no_fail_gate' | 'report_present' | 'registry_rows';
  ok: boolean;
  detail: string;
}

export interface PromoteResult {
  study: string;
  batch_id: string;
  promoted: boolean;
  previous: string | null;
  latest_file: string;
  conditions: PromoteCondition[];
}

export async function promoteBatch(root: StudiesRoot, store: RunStore, o: { study: string; batch: string; cwd: string; pipeline: string | undefined }): Promise<PromoteResult> {
  const layout = new StudyLayout(root, o.study);
  layout.requireExists();
  const manifest = await readManifest(layout, o.batch);
  const lp = await loadPipeline(layout, o.cwd, o.pipeline);
  const rows = readRegistry(layout).filter((r) => r.batch_id === o.batch);
  const vs = variantsOf(layout, store, manifest, lp.graph.order);
  const notOk = vs.filter((v) => v.state !== 'success');
  const fails = vs.flatMap((v) => Object.entries(v.stages).filter(([, c]) => c === 'FAIL').map(([s]) => `${v.id}/${s}`));
  const missingRows = vs.filter((v) => !rows.some((r) => r.variant_id === v.id && r.status === 'success'));
  const state = vs.map((v) => `${v.id}@${v.run_id ?? '-'}#${v.executions}:${v.state}`).join(';');
  const reportFile = layout.reportFile(o.batch);
  let reportDetail = 'report.md is up to date';
  let reportOk = true;
  if (!fs.existsSync(reportFile)) {
    reportOk = false;
    reportDetail = `no report: run runr batch report ${o.study} ${o.batch}`;
  } else if (reportStateOf(fs.readFileSync(reportFile, 'utf8')) !== sha256Text(state)) {
    reportOk = false;
    reportDetail = `report.md is stale (the batch ran after it was written): run runr batch report ${o.study} ${o.batch}`;
  }
  const conditions: PromoteCondition[] = [
    { name: 'batch_succeeded', ok: notOk.length === 0, detail: notOk.length === 0 ? `all ${vs.length} variants succeeded` : `not succeeded: ${notOk.map((v) => `${v.id} (${v.state})`).join(', ')}` },
    { name: 'no_fail_gate', ok: fails.length === 0, detail: fails.length === 0 ? 'no FAIL gate' : `FAIL gates: ${fails.join(', ')}` },
    { name: 'report_present', ok: reportOk, detail: reportDetail },
    { name: 'registry_rows', ok: missingRows.length === 0, detail: missingRows.length === 0 ? 'a success row per variant in registry/runs.csv' : `no success row in registry/runs.csv for: ${missingRows.map((v) => v.id).join(', ')}` },
  ];
  const previous = readLatest(layout);
  const promoted = conditions.every((c) => c.ok);
  if (promoted) writeFileAtomicSync(layout.latestTxt, `${o.batch}\n`);
  return { study: o.study, batch_id: o.batch, promoted, previous, latest_file: layout.display(layout.latestTxt), conditions };
}
