import type { CliContext } from '../context.js';
import { optStr } from '../options.js';
import { UserError } from '../../core/errors.js';
import { validateRunIdArg } from '../../core/ids.js';
import { openStore } from '../../store/open-store.js';
import type { RunStore } from '../../store/run-store.js';

export function storeFromOpts(ctx: CliContext, opts: Record<string, unknown>): RunStore {
  const runsDir = optStr(opts, 'runsDir');
  return openStore(ctx.cwd, runsDir !== undefined ? { runsDir } : {});
}

/** Validate `--run` before anything touches a path, then resolve it (prefix, latest). */
export function resolveRunOpt(store: RunStore, opts: Record<string, unknown>, key = 'run', flag = '--run'): string {
  const raw = opts[key];
  if (typeof raw !== 'string') throw new UserError(`${flag}: a run id is required`);
  validateRunIdArg(raw, flag);
  return store.resolve(raw, flag);
}

export function runDirDisplay(store: RunStore, runId: string): string {
  return store.display(store.runDir(runId));
}
