import type { CliContext } from '../../context.js';
import { optBool, optStr } from '../../options.js';
import { batchReportData, writeReport } from '../../../studies/report.js';
import { storeOf, studiesFor } from './shared.js';

export async function batchReportCommand(ctx: CliContext, study: string, batch: string, opts: Record<string, unknown>): Promise<void> {
  const root = studiesFor(ctx, opts);
  const data = await batchReportData(root, storeOf(root), { study, batch, baseline: optStr(opts, 'baseline') ?? null, force: optBool(opts, 'force'), pipeline: optStr(opts, 'pipeline'), cwd: ctx.cwd, now: new Date() });
  const w = writeReport(root, data);
  if (ctx.json) ctx.out(JSON.stringify({ report_file: w.file, ...data }, null, 2));
  else {
    ctx.out(w.markdown);
    ctx.err(`wrote ${w.file}`);
  }
}
