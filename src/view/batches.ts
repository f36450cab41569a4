/**
 * The studies batches a page shows, as `runr batch report` computes them (`batchReportData`,
 * src/studies/report.ts): every batch of every study for the store page, or the one batch of a
 * `runr batch report … --html` page. Returns data; writes nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StateError } from '../core/errors.js';
import { checkStudy } from '../core/studies/ids.js';
import type { BatchReport } from '../core/studies/report-model.js';
import type { BatchView } from '../core/view/model.js';
import type { RunStore } from '../store/run-store.js';
import type { StudiesRoot } from '../studies/layout.js';
import { StudyLayout } from '../studies/layout.js';
import { batchReportData, readLatest } from '../studies/report.js';
import { relativeHref } from './links.js';

/** A batch report for the page: its report.md linked relative to the page (when written). */
export function batchView(root: StudiesRoot, r: BatchReport, outDir: string): BatchView {
  const file = new StudyLayout(root, r.study).reportFile(r.batch_id);
  return { ...r, report_href: fs.existsSync(file) ? relativeHref(outDir, file) : null };
}

/** The studies under the studies root (directories with a registry, as `runr study init` makes them). */
export function studyNames(root: StudiesRoot): string[] {
  try {
    return fs
      .readdirSync(root.abs)
      .filter((n) => checkStudy(n) === null && fs.existsSync(path.join(root.abs, n, 'registry', 'runs.csv')))
      .sort();
  } catch {
    return [];
  }
}

/**
 * Every batch of every study, each compared with its study's promoted batch (registry/latest.txt)
 * when that is another batch and the two are comparable (otherwise shown without a comparison,
 * as `runr batch report` without --baseline). A batch that cannot be reported is a problem.
 */
export async function collectBatches(root: StudiesRoot, store: RunStore, outDir: string, now: Date): Promise<{ batches: BatchView[]; problems: Array<{ run_id: string; message: string }> }> {
  const batches: BatchView[] = [];
  const problems: Array<{ run_id: string; message: string }> = [];
  for (const study of studyNames(root)) {
    const layout = new StudyLayout(root, study);
    const latest = readLatest(layout);
    for (const batch of layout.batchIds()) {
      const base = { study, batch, force: false, pipeline: undefined, cwd: root.project.root, now };
      try {
        let r: BatchReport;
        try {
          r = await batchReportData(root, store, { ...base, baseline: latest !== null && latest !== batch ? latest : null });
        } catch (err) {
          if (!(err instanceof StateError)) throw err;
          r = await batchReportData(root, store, { ...base, baseline: null });
        }
        batches.push(batchView(root, r, outDir));
      } catch (err) {
        problems.push({ run_id: `${study}/${batch}`, message: err instanceof Error ? err.message : String(err) });
      }
    }
  }
  return { batches, problems };
}
