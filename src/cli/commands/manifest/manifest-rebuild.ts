/** `runr manifest rebuild [--dir] [--layout]`: unreadable runs are listed on stderr and skipped; exit 0. */
import type { CliContext } from '../../context.js';
import { emit } from '../../context.js';
import { UserError } from '../../../core/errors.js';
import { LAYOUT_CHOICES } from '../../../manifest/adapters/layouts.js';
import { displayPath } from '../../../manifest/paths.js';
import { rebuildManifest } from '../../../manifest/rebuild.js';
import { progressLine } from '../../progress-line.js';
import { manifestOptions } from './manifest-flags.js';
import type { ManifestRebuildOptions } from './manifest-flags.js';

export async function rebuildCommand(ctx: CliContext, opts: ManifestRebuildOptions): Promise<void> {
  const layout = opts.layout;
  if (!(LAYOUT_CHOICES as readonly string[]).includes(layout)) throw new UserError(`--layout: expected one of ${LAYOUT_CHOICES.join(', ')}, got ${JSON.stringify(layout)}`);
  const line = progressLine(process.stderr);
  const r = await rebuildManifest({ ...manifestOptions(ctx, opts), layout, progress: (done, total) => line.set(`rebuilding the manifest: ${done}/${total} runs read`) }).finally(() => line.done());
  const problems = r.problems.map((p) => ({ path: displayPath(p.path, ctx.cwd), message: p.message }));
  if (!ctx.json) for (const p of problems) ctx.err(`warning: skipped ${p.path}: ${p.message}`);
  emit(
    ctx,
    { file: displayPath(r.file, ctx.cwd), total_runs: r.manifest.total_runs, frameworks: r.manifest.frameworks, layouts: r.layouts, problems },
    () => [
      `rebuilt ${displayPath(r.file, ctx.cwd)}: ${r.manifest.total_runs} run${r.manifest.total_runs === 1 ? '' : 's'}` +
        (r.layouts.length > 0 ? ` (layouts: ${r.layouts.join(', ')})` : ' (no runs found)') +
        (problems.length > 0 ? `; ${problems.length} skipped` : ''),
    ],
  );
}
