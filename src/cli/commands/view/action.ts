/** The action and rendering of `runr view`. */
import type { CliContext } from '../../context.js';
import { emit } from '../../context.js';
import type { ViewOptions } from './view-options.js';
import { relToRoot } from '../../../store/project.js';
import { openInBrowser } from './open.js';

export const kb = (bytes: number) => (bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(2)} MB`);

export async function viewCommand(ctx: CliContext, opts: ViewOptions): Promise<void> {
  const where = opts.where ?? null;
  const runsDir = ctx.runsDir;
  const audit = opts.audit;
  if (opts.serve) {
    const { serveCommand } = await import('./serve.js');
    await serveCommand(ctx, { where, runsDir, audit, port: opts.port ?? 0, open: opts.open });
    return;
  }
  const { writeView } = await import('../../../view/write.js');
  const { openProject } = await import('../../../store/project.js');
  const out = opts.out;
  const r = await writeView({ cwd: ctx.cwd, where, audit, ...(runsDir !== undefined ? { runsDir } : {}), ...(out !== undefined ? { out } : {}) });
  const shown = relToRoot(openProject(ctx.cwd), r.file);
  const opened = opts.open ? openInBrowser(r.file) : null;
  emit(ctx, { file: shown, bytes: r.bytes, runs: r.runs, total_runs: r.total_runs, details: r.details, problems: r.problems, opened }, () => [
    `wrote ${shown} (${kb(r.bytes)}, ${r.runs} of ${r.total_runs} run${r.total_runs === 1 ? '' : 's'})`,
    ...r.problems.map((p) => `warning: ${p.run_id}: ${p.message}`),
    ...(opened === false ? ['note: could not open a browser; open the file yourself'] : []),
  ]);
}
