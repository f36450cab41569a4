/** Shared by wait / follow / watch: open the store, resolve the run, render the end of a run. */
import type { CliContext } from '../../context.js';
import type { RunView } from '../../../core/supervise/run-view.js';
import type { RunStore } from '../../../store/run-store.js';
import { storeFor } from '../store-opts.js';

export function storeAndRun(ctx: CliContext, runArg: string): { store: RunStore; runId: string } {
  const store = storeFor(ctx);
  return { store, runId: store.resolve(runArg, '<run_id>') };
}

/** `Run <id> complete: 2/2 milestones` / `Run <id> stopped: <reason> — <detail>` / `Run <id> FAILED`. */
export function endLine(v: RunView): string {
  const ms = v.kind === 'task' ? `${v.milestones_completed}/${v.milestones_total} milestones` : `${v.milestones_completed}/${v.milestones_total} gates passed`;
  if (v.complete) return `Run ${v.run_id} complete: ${ms}`;
  if (v.kind === 'task') return `Run ${v.run_id} stopped: ${v.stop_reason ?? 'unknown'}${v.stop_detail !== null ? ` — ${v.stop_detail}` : ''} (${ms})`;
  return `Run ${v.run_id} ${v.status}${v.phase !== null ? ` at ${v.phase}` : ''} (${ms})`;
}

/** The wait/follow exit code of a run: 0 complete or running, 3 stopped. */
export function outcomeCode(v: RunView): number {
  return v.terminal && !v.complete ? 3 : 0;
}
