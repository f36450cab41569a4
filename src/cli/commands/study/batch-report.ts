import type { CliContext } from '../../context.js';
import { batchReportData, writeReport } from '../../../studies/report.js';
import { storeOf, studiesFor } from './shared.js';
import type { BatchReportOptions } from './study-options.js';
import { relToRoot } from '../../../store/project.js';

export async function batchReportCommand(ctx: CliContext, study: string, batch: string, opts: BatchReportOptions): Promise<void> {
  const root = studiesFor(ctx, opts);
  const data = await batchReportData(root, storeOf(root), { study, batch, baseline: opts.baseline ?? null, force: opts.force, pipeline: opts.pipeline, cwd: ctx.cwd, now: new Date() });
  const w = writeReport(root, data);
  const { html } = opts;
  if (html !== undefined && html !== '') {
    const { writeBatchPage } = await import('../../../view/batch-page.js');
    const { runsDir } = ctx;
    const page = await writeBatchPage({ cwd: ctx.cwd, root, report: data, out: html, ...(runsDir !== undefined ? { runsDir } : {}) });
    ctx.err(`wrote ${relToRoot(root.project, page.file)} (${(page.bytes / 1024).toFixed(1)} KB)`);
  }
  if (ctx.json) ctx.out(JSON.stringify({ report_file: w.file, ...data }, null, 2));
  else {
    ctx.out(w.markdown);
    ctx.err(`wrote ${w.file}`);
  }
}
