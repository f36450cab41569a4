/** `runr manifest show`: the header, counts by status and verification; --json prints the manifest. */
import type { CliContext } from '../../context.js';
import { emit } from '../../context.js';
import { paint } from '../../style.js';
import { getManifest } from '../../../manifest/get.js';
import { resolveOptions } from '../../../manifest/options.js';
import { displayPath, manifestFile } from '../../../manifest/paths.js';
import { manifestOptions } from './manifest-flags.js';
import type { ManifestShowOptions } from './manifest-flags.js';

function countBy(values: Iterable<string>): string {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return [...m.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
}

export async function showCommand(ctx: CliContext, opts: ManifestShowOptions): Promise<void> {
  const mo = manifestOptions(ctx, opts);
  const file = manifestFile((await resolveOptions(mo)).runsDir);
  const m = await getManifest(mo);
  const p = paint(ctx.color);
  emit(ctx, m, () => {
    const lines = [
      p.bold(displayPath(file, ctx.cwd)),
      `version ${m.version} · last updated ${m.last_updated ?? 'never'} · ${m.total_runs} run${m.total_runs === 1 ? '' : 's'}`,
    ];
    if (m.total_runs > 0) {
      lines.push(`frameworks: ${Object.entries(m.frameworks).map(([k, n]) => `${k} ${n}`).join(', ')}`);
      lines.push(`status: ${countBy(m.runs.map((r) => r.status ?? '(none)'))}`);
      lines.push(`verification: ${countBy(m.runs.map((r) => r.verification_status))}`);
      const first = m.runs[0];
      const last = m.runs[m.runs.length - 1];
      if (first && last) lines.push(p.dim(`runs: ${first.run_id} … ${last.run_id}`));
    }
    return lines;
  });
}
