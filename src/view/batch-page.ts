/**
 * `runr batch report … --html <file>`: the page scoped to one studies batch — its report data
 * (the same `batchReportData` the markdown report is made from) and the runs of its variants.
 */
import path from 'node:path';
import type { BatchReport } from '../core/studies/report-model.js';
import type { StudiesRoot } from '../studies/layout.js';
import { batchView } from './batches.js';
import type { WriteViewResult } from './write.js';
import { writeView } from './write.js';

export interface BatchPageOptions {
  cwd: string;
  root: StudiesRoot;
  report: BatchReport;
  /** Absolute, or relative to cwd. */
  out: string;
  runsDir?: string;
  env?: Record<string, string | undefined>;
}

export async function writeBatchPage(o: BatchPageOptions): Promise<WriteViewResult> {
  const file = path.resolve(o.cwd, o.out);
  const runIds = o.report.variants.map((v) => v.run_id).filter((id): id is string => id !== null);
  return writeView({
    cwd: o.cwd,
    out: file,
    runIds,
    scope: 'batch',
    title: `runr — ${o.report.study} · ${o.report.batch_id}`,
    batches: [batchView(o.root, o.report, path.dirname(file))],
    ...(o.runsDir !== undefined ? { runsDir: o.runsDir } : {}),
    ...(o.env !== undefined ? { env: o.env } : {}),
  });
}
