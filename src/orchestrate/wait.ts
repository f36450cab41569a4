/**
 * `orchestrate wait` and `orchestrate follow` as data, on the supervision module's journal tail
 * (src/supervise: file-system events on the orchestration's `record/events.jsonl`, polling as the
 * fallback), so an append is seen in milliseconds and an idle wait costs nothing. The orchestrator's
 * liveness is checked at least every LIVENESS_MS: a RUNNING orchestration whose orchestrator died is
 * recorded as stopped on the way (liveness.ts), so a wait never hangs on a dead process.
 */
import type { JournalEvent } from '../core/events/index.js';
import type { RunRecord } from '../core/schemas/run.js';
import type { RunStore } from '../store/run-store.js';
import { JournalTail, journalFile, LIVENESS_MS } from '../supervise/index.js';
import { reconcileOrchestration } from './liveness.js';

export const WAIT_CONDITIONS = ['terminal', 'complete', 'stop'] as const;
export type WaitCondition = (typeof WAIT_CONDITIONS)[number];

export interface WaitResult {
  result: 'met' | 'impossible' | 'timeout' | 'interrupted';
  run: RunRecord;
}

export async function currentRun(store: RunStore, id: string): Promise<RunRecord> {
  return reconcileOrchestration(store, store.load(id).run);
}

function judge(run: RunRecord, cond: WaitCondition): 'met' | 'impossible' | null {
  if (run.status === 'RUNNING' || run.status === 'QUEUED') return null;
  if (cond === 'terminal') return 'met';
  if (cond === 'complete') return run.status === 'PASSED' ? 'met' : 'impossible';
  return run.status === 'PASSED' ? 'impossible' : 'met';
}

function openTail(store: RunStore, id: string): JournalTail {
  const file = journalFile(store, id);
  return new JournalTail(file, { display: store.display(file) });
}

export async function waitFor(store: RunStore, id: string, cond: WaitCondition, opts: { signal: AbortSignal; timeoutMs?: number }): Promise<WaitResult> {
  const deadline = opts.timeoutMs === undefined ? Infinity : Date.now() + opts.timeoutMs;
  const tail = openTail(store, id);
  try {
    for (;;) {
      // The events themselves are not needed (the record is judged), only that something changed.
      tail.read();
      const run = await currentRun(store, id);
      const j = judge(run, cond);
      if (j !== null) return { result: j, run };
      if (opts.signal.aborted) return { result: 'interrupted', run };
      if (Date.now() >= deadline) return { result: 'timeout', run };
      await tail.waitForChange(Math.min(LIVENESS_MS, Math.max(1, deadline - Date.now())), opts.signal);
    }
  } finally {
    tail.close();
  }
}

/** Journal events from `fromSeq` on, as they are appended, until the orchestration is terminal. */
export async function* followEvents(store: RunStore, id: string, opts: { signal: AbortSignal; fromSeq: number }): AsyncGenerator<JournalEvent> {
  const tail = openTail(store, id);
  let seq = opts.fromSeq;
  try {
    for (;;) {
      for (const e of tail.read()) {
        if (e.seq <= seq) continue;
        seq = e.seq;
        yield e;
      }
      const run = await currentRun(store, id);
      if (run.status !== 'RUNNING' && run.status !== 'QUEUED' && (run.journal_seq ?? 0) <= seq) return;
      if (opts.signal.aborted) return;
      await tail.waitForChange(LIVENESS_MS, opts.signal);
    }
  } finally {
    tail.close();
  }
}
