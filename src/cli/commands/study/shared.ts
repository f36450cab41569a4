import type { CliContext } from '../../context.js';
import { storeFor } from '../../../store/open-store.js';
import type { RunStore } from '../../../store/run-store.js';
import type { StudiesRoot } from '../../../studies/layout.js';
import { openStudies } from '../../../studies/layout.js';

export function studiesFor(ctx: CliContext, opts: { studiesDir: string | undefined }): StudiesRoot {
  const { studiesDir } = opts;
  const { runsDir } = ctx;
  return openStudies(ctx.cwd, { ...(studiesDir !== undefined ? { studiesDir } : {}), ...(runsDir !== undefined ? { runsDir } : {}) });
}

export function storeOf(root: StudiesRoot): RunStore {
  return storeFor(root.project);
}
