import type { CliContext } from '../../context.js';
import { emit } from '../../context.js';
import { paint } from '../../style.js';
import { renderRun } from './render-run.js';
import { resolveRunArg, runDirDisplay, storeFor } from '../store-opts.js';
import type { RunShowOptions } from './run-options.js';

export async function runShow(ctx: CliContext, opts: RunShowOptions): Promise<void> {
  const store = storeFor(ctx);
  const runId = resolveRunArg(store, opts.run);
  const loaded = store.load(runId);
  // A single run: validate its whole journal too (list and status use the cheap path).
  store.journalFor(runId);
  if (loaded.torn) ctx.err(`warning: ${runDirDisplay(store, runId)}/record/events.jsonl: torn last line ignored (line ${loaded.torn.line})`);
  if (loaded.run.kind === 'task' && loaded.run.status === 'RUNNING') {
    const { runAlive } = await import('../../../tasks/run-lock.js');
    if (!runAlive(store, runId)) ctx.err(`note: no process holds this run any more: it is stopped (interrupted) and resumable — runr resume ${runId}`);
  }
  if (loaded.lagging) ctx.err(loaded.repaired === true ? 'note: RUN.json was behind its journal (the run had finished); rebuilt from the journal and saved' : 'note: RUN.json was behind its journal; showing the record rebuilt from the journal');
  emit(ctx, loaded.run, () => renderRun(loaded.run, runDirDisplay(store, runId), paint(ctx.color)));
}
