import type { CliContext } from '../context.js';
import { validateRunIdArg } from '../../core/ids.js';
import { openStore } from '../../store/open-store.js';
import type { RunStore } from '../../store/run-store.js';

/** The store of the project at `-C` (or the cwd), with the global `--runs-dir` when given. */
export function storeFor(ctx: CliContext): RunStore {
  return openStore(ctx.cwd, ctx.runsDir !== undefined ? { runsDir: ctx.runsDir } : {});
}

/** Validate a run id argument before anything touches a path, then resolve it (prefix, latest). */
export function resolveRunArg(store: RunStore, raw: string, flag = '--run'): string {
  validateRunIdArg(raw, flag);
  return store.resolve(raw, flag);
}

export function runDirDisplay(store: RunStore, runId: string): string {
  return store.display(store.runDir(runId));
}
