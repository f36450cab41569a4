/**
 * Tail a run as a stream of updates: every journal event with the run as of that event, and a
 * `caught_up` marker whenever the tail has read everything written so far. This is the library
 * API `wait`, `follow` and `watch` are built on (and what a live view or an orchestrator uses):
 *
 *   for await (const u of tailRun(store, runId, { since: 'start', signal })) {
 *     if (u.kind === 'event') render(u.event, u.view);
 *     if (u.kind === 'caught_up' && u.view.terminal) break;
 *   }
 *
 * Liveness: while a task run's record says RUNNING, its lock is checked every `livenessMs`; a run
 * whose supervisor died (kill -9, a reboot) is recorded as stopped with `interrupted` (as `status`
 * does; `reconcile: false` only reports it as dead in the view), so the stream never waits forever
 * on a run nobody is running. The generator ends only when the consumer stops (break/return) or
 * the signal aborts.
 */
import path from 'node:path';
import type { JournalEvent } from '../core/events/index.js';
import { applyEvent } from '../core/reduce/index.js';
import type { RunRecord } from '../core/schemas/run.js';
import type { RunView } from '../core/supervise/run-view.js';
import { runView } from '../core/supervise/run-view.js';
import type { RunStore } from '../store/run-store.js';
import { reconcileIfDead } from '../tasks/reconcile.js';
import { runAlive } from '../tasks/run-lock.js';
import { JournalTail } from './journal-tail.js';

export type RunUpdate =
  /** One journal event, and the run as of it. */
  | { kind: 'event'; event: JournalEvent; run: RunRecord; view: RunView }
  /** Everything written so far has been read (also the first update with `since: 'now'`). */
  | { kind: 'caught_up'; run: RunRecord; view: RunView };

export interface TailRunOptions {
  /** `start`: every event from the beginning of the journal; `now`: only events appended from now on. */
  since: 'start' | 'now';
  signal?: AbortSignal;
  /** How often a RUNNING task run's lock is checked (ms). */
  livenessMs?: number;
  /** Record a dead task run as `interrupted` (default true). */
  reconcile?: boolean;
  /** Use file-system events (default true); false = poll every `pollMs`. */
  watch?: boolean;
  pollMs?: number;
}

export const LIVENESS_MS = 1000;
/** With file-system events, the journal is still stat'ed this often, in case an event was missed. */
const SAFETY_POLL_MS = 2000;

export function journalFile(store: RunStore, runId: string): string {
  return path.join(store.recordDir(runId), 'events.jsonl');
}

function needsLiveness(run: RunRecord): boolean {
  return run.kind === 'task' && run.status === 'RUNNING';
}

export async function* tailRun(store: RunStore, runId: string, opts: TailRunOptions): AsyncGenerator<RunUpdate, void, undefined> {
  const file = journalFile(store, runId);
  const tail = new JournalTail(file, { display: store.display(file), ...(opts.watch !== undefined ? { watch: opts.watch } : {}), ...(opts.pollMs !== undefined ? { pollMs: opts.pollMs } : {}) });
  const livenessMs = opts.livenessMs ?? LIVENESS_MS;
  const reconcile = opts.reconcile !== false;
  const alive = (run: RunRecord) => run.kind !== 'task' || runAlive(store, runId);
  const aborted = () => opts.signal?.aborted === true;
  /**
   * Fold a batch of events. Earlier events of a batch are history (the run was alive then); only
   * the last one is the present, whose view takes the lock into account.
   */
  function* fold(events: readonly JournalEvent[]): Generator<RunUpdate, void, undefined> {
    for (const [i, event] of events.entries()) {
      run = applyEvent(run, event);
      yield { kind: 'event', event, run, view: runView(run, i === events.length - 1 ? alive(run) : true) };
    }
  }
  let run: RunRecord | null = null;
  try {
    // A record with no journal (written by another tool) is its own snapshot until something writes it.
    const first = tail.read();
    if (first.length === 0) run = store.load(runId).run;
    if (opts.since === 'start') yield* fold(first);
    else for (const event of first) run = applyEvent(run, event);
    if (run === null) return;
    let lastLiveness = Date.now();
    for (;;) {
      let view = runView(run, alive(run));
      if (view.dead && reconcile) {
        // Records `task.stopped interrupted` under the run's lock; the tail reads it next.
        await reconcileIfDead(store, run);
        yield* fold(tail.read());
        view = runView(run, alive(run));
      }
      yield { kind: 'caught_up', run, view };
      for (;;) {
        if (aborted()) return;
        const checkLiveness = needsLiveness(run);
        const wait = checkLiveness ? Math.max(1, livenessMs - (Date.now() - lastLiveness)) : SAFETY_POLL_MS;
        await tail.waitForChange(wait, opts.signal);
        if (aborted()) return;
        const events = tail.read();
        yield* fold(events);
        if (events.length > 0) break;
        if (checkLiveness && Date.now() - lastLiveness >= livenessMs) {
          lastLiveness = Date.now();
          if (!runAlive(store, runId)) break;
        }
      }
    }
  } finally {
    tail.close();
  }
}
