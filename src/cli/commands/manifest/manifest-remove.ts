/** `runr manifest remove <run>`: exact id or a unique prefix among the manifest's ids. */
import type { CliContext } from '../../context.js';
import { emit } from '../../context.js';
import { UserError } from '../../../core/errors.js';
import { validateRunIdArg } from '../../../core/ids.js';
import { removeRun } from '../../../manifest/entries.js';
import { getManifest } from '../../../manifest/get.js';
import { resolveOptions } from '../../../manifest/options.js';
import { displayPath, manifestFile } from '../../../manifest/paths.js';
import { manifestOptions } from './manifest-flags.js';
import type { ManifestRemoveOptions } from './manifest-flags.js';

export async function removeCommand(ctx: CliContext, arg: string, opts: ManifestRemoveOptions): Promise<void> {
  validateRunIdArg(arg, '<run>');
  const mo = manifestOptions(ctx, opts);
  const file = displayPath(manifestFile((await resolveOptions(mo)).runsDir), ctx.cwd);
  const ids = (await getManifest(mo)).runs.map((r) => r.run_id);
  let id = ids.includes(arg) ? arg : null;
  if (id === null) {
    const matches = ids.filter((x) => x.startsWith(arg));
    if (matches.length > 1) throw new UserError(`<run>: ${JSON.stringify(arg)} matches ${matches.length} runs in ${file} (${matches.slice(0, 3).join(', ')}${matches.length > 3 ? ', …' : ''}); give more of the id`);
    id = matches[0] ?? null;
  }
  if (id === null) throw new UserError(`<run>: ${arg} is not in ${file}`);
  const removed = await removeRun(id, mo);
  if (!removed) throw new UserError(`<run>: ${id} is not in ${file} (removed meanwhile)`);
  const left = (await getManifest(mo)).total_runs;
  emit(ctx, { removed: id, file, total_runs: left }, () => [`removed ${id} from ${file} (${left} run${left === 1 ? '' : 's'} left)`]);
}
