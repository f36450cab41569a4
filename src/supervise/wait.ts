/**
 * `runr wait`: block until a condition holds for a run, or becomes impossible, or time runs out.
 * Event driven through `tailRun` (a journal append is seen in milliseconds). `met` is checked on
 * every event, so a phase that lasted only between two appends still counts; `impossible` only
 * once the tail has caught up, so a stop that a resume already followed is not mistaken for the end.
 */
import type { WaitCondition } from '../core/supervise/conditions.js';
import { evaluate } from '../core/supervise/conditions.js';
import type { RunView } from '../core/supervise/run-view.js';
import { runView } from '../core/supervise/run-view.js';
import type { RunStore } from '../store/run-store.js';
import { runAlive } from '../tasks/run-lock.js';
import type { TailRunOptions } from './tail-run.js';
import { tailRun } from './tail-run.js';

export interface WaitOptions extends Pick<TailRunOptions, 'watch' | 'pollMs' | 'livenessMs'> {
  /** Give up after this long (ms); undefined = no limit. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface WaitResult {
  result: 'met' | 'impossible' | 'timeout' | 'interrupted';
  view: RunView;
  elapsedMs: number;
}

export async function waitForRun(store: RunStore, runId: string, condition: WaitCondition, opts: WaitOptions = {}): Promise<WaitResult> {
  const started = Date.now();
  const controller = new AbortController();
  let timedOut = false;
  const timer = opts.timeoutMs !== undefined ? setTimeout(() => ((timedOut = true), controller.abort()), opts.timeoutMs) : undefined;
  const onAbort = () => controller.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  let last: RunView | null = null;
  try {
    for await (const u of tailRun(store, runId, { since: 'now', signal: controller.signal, ...pick(opts) })) {
      last = u.view;
      const verdict = evaluate(condition, u.view);
      if (verdict === 'met' || (verdict === 'impossible' && u.kind === 'caught_up')) return { result: verdict, view: u.view, elapsedMs: Date.now() - started };
    }
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
  }
  const view = last ?? runView(store.load(runId).run, runAlive(store, runId));
  return { result: timedOut ? 'timeout' : 'interrupted', view, elapsedMs: Date.now() - started };
}

function pick(o: WaitOptions): Pick<TailRunOptions, 'watch' | 'pollMs' | 'livenessMs'> {
  return {
    ...(o.watch !== undefined ? { watch: o.watch } : {}),
    ...(o.pollMs !== undefined ? { pollMs: o.pollMs } : {}),
    ...(o.livenessMs !== undefined ? { livenessMs: o.livenessMs } : {}),
  };
}
