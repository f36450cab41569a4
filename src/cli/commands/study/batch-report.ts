import type { CliContext } from '../../context.js';
import { optBool, optStr } from '../../options.js';
import { batchReportData, writeReport } from '../../../studies/report.js';
import { storeOf, studiesFor } from './shared.js';
import { relToRoot } from '../../../store/project.js';

export async function batchReportCommand(ctx: CliContext, study: string, batch: string, opts: Record<string, unknown>): Promise<void> {
  const root = studiesFor(ctx, opts);
  const data = await batchReportData(root, storeOf(root), { study, batch, baseline: optStr(opts, 'baseline') ?? null, force: optBool(opts, 'force'), pipeline: optStr(opts, 'pipeline'), cwd: ctx.cwd, now: new Date() });
  const w = writeReport(root, data);
  const html = optStr(opts, 'html');
  if (html !== undefined && html !== '') {
    const { writeBatchPage } = await import('../../../view/batch-page.js');
    const runsDir = optStr(opts, 'runsDir');
    const page = await writeBatchPage({ cwd: ctx.cwd, root, report: data, out: html, ...(runsDir !== undefined ? { runsDir } : {}) });
    ctx.err(`wrote ${relToRoot(root.project, page.file)} (${(page.bytes / 1024).toFixed(1)} KB)`);
  }
  if (ctx.json) ctx.out(JSON.stringify({ report_file: w.file, ...data }, null, 2));
  else {
    ctx.out(w.markdown);
    ctx.err(`wrote ${w.file}`);
  }
}
