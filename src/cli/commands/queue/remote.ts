/**
 * `status`, `wait`, `watch` and `follow` on a run that went through the queue (`--queue <url>` or
 * $RUNR_QUEUE): while it is queued or running elsewhere, its state comes from the registry; once it
 * is finished, its record is synced home from its branch and the command goes on as for a local run.
 */
import { isRunId } from '../../../core/ids.js';
import { isTerminal } from '../../../core/queue/states.js';
import type { QueueRunView } from '../../../queue/status.js';
import type { CliContext } from '../../context.js';
import { withQueue } from './common.js';

export interface RemoteRun {
  view: QueueRunView;
  /** The wait ended at its timeout with the run not finished. */
  timedOut: boolean;
  /** The record is in the local store now (it was synced, or was already). */
  local: boolean;
}

function urlOf(opts: { queue?: string | undefined }): string | null {
  const u = opts.queue ?? process.env.RUNR_QUEUE;
  return u === undefined || u === '' ? null : u;
}

/**
 * The run's registry view, or null when no queue is named or the queue does not know the run (then
 * the command treats it as a local run). With `wait`, poll until the run is finished (or `timeoutMs`),
 * calling `onChange` on each new state; a finished run's record is synced into the local store.
 */
export async function remoteRun(ctx: CliContext, runArg: string | undefined, opts: { queue?: string | undefined }, o: { wait: boolean; timeoutMs?: number; onChange?: (v: QueueRunView) => void; onFound?: (v: QueueRunView) => void }): Promise<RemoteRun | null> {
  const url = urlOf(opts);
  if (url === null || runArg === undefined || !isRunId(runArg)) return null;
  const { viewOf, waitForRun } = await import('../../../queue/status.js');
  const { syncRecords } = await import('../../../queue/sync.js');
  return withQueue({ queue: url }, async (b) => {
    const first = await b.registry.get(runArg);
    if (first === null) return null;
    o.onFound?.(viewOf(first));
    const row = o.wait ? ((await waitForRun(b, runArg, { signal: ctx.signal, timeoutMs: o.timeoutMs ?? null, pollMs: 500, ...(o.onChange ? { onChange: o.onChange } : {}) })) ?? first) : first;
    const view = viewOf(row);
    if (!isTerminal(row.status)) return { view, timedOut: o.wait, local: false };
    if (row.outcome?.branch_sha == null) return { view, timedOut: false, local: false };
    // Another command may be syncing the same run right now (wait and follow side by side): the
    // loser of a ref update tries again.
    let problem = '';
    for (let tries = 0; tries < 5; tries++) {
      const item = (await syncRecords(b, ctx.cwd, [runArg])).items[0];
      if (item !== undefined && (item.result === 'synced' || item.result === 'unchanged')) return { view, timedOut: false, local: true };
      problem = item === undefined ? 'not finished' : item.result === 'error' ? item.message : `no record (${item.status})`;
      await new Promise((r) => setTimeout(r, 300 + 200 * tries));
    }
    ctx.err(`runr: the record of ${runArg} could not be synced: ${problem}`);
    return { view, timedOut: false, local: false };
  });
}

/** One line for a registry state: `queued`, `running on w1 (attempt 2, checkpoint 1a2b3c4d5e6f)`, … */
export function queueLine(v: QueueRunView): string {
  const at = v.status === 'running' ? ` on ${v.worker ?? '?'} (attempt ${v.attempt}${v.checkpoint_sha ? `, checkpoint ${v.checkpoint_sha.slice(0, 12)}` : ''})` : v.attempt > 0 ? ` (attempt ${v.attempt})` : '';
  return `${v.run_id}: ${v.status}${at}${v.stop_reason ? `: ${v.stop_reason}` : ''} [queue]`;
}

/** The JSON of a queue state (status/wait print it while the record is not home). */
export function queueJson(v: QueueRunView): Record<string, unknown> {
  return { source: 'queue', ...v };
}
