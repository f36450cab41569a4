/**
 * `orchestrate wait` and `orchestrate follow` as data: poll the orchestration's record (and its
 * journal) until a condition holds. A RUNNING orchestration whose orchestrator died is recorded as
 * stopped on the way (liveness.ts), so a wait never hangs on a dead process.
 */
import fs from 'node:fs';
import path from 'node:path';
import { JournalEventSchema } from '../core/events/index.js';
import type { JournalEvent } from '../core/events/index.js';
import type { RunRecord } from '../core/schemas/run.js';
import type { RunStore } from '../store/run-store.js';
import { reconcileOrchestration } from './liveness.js';

export const WAIT_CONDITIONS = ['terminal', 'complete', 'stop'] as const;
export type WaitCondition = (typeof WAIT_CONDITIONS)[number];

export interface WaitResult {
  result: 'met' | 'impossible' | 'timeout' | 'interrupted';
  run: RunRecord;
}

const POLL_MS = 200;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
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

export async function waitFor(store: RunStore, id: string, cond: WaitCondition, opts: { signal: AbortSignal; timeoutMs?: number }): Promise<WaitResult> {
  const deadline = opts.timeoutMs === undefined ? Infinity : Date.now() + opts.timeoutMs;
  for (;;) {
    const run = await currentRun(store, id);
    const j = judge(run, cond);
    if (j !== null) return { result: j, run };
    if (opts.signal.aborted) return { result: 'interrupted', run };
    if (Date.now() >= deadline) return { result: 'timeout', run };
    await sleep(Math.min(POLL_MS, Math.max(1, deadline - Date.now())), opts.signal);
  }
}

/** Journal events from `fromSeq` on, as they are appended, until the orchestration is terminal. */
export async function* followEvents(store: RunStore, id: string, opts: { signal: AbortSignal; fromSeq: number }): AsyncGenerator<JournalEvent> {
  const file = path.join(store.recordDir(id), 'events.jsonl');
  let offset = 0;
  let carry = '';
  let seq = opts.fromSeq;
  for (;;) {
    let buf: Buffer = Buffer.alloc(0);
    try {
      const fd = fs.openSync(file, 'r');
      try {
        const size = fs.fstatSync(fd).size;
        if (size > offset) {
          buf = Buffer.alloc(size - offset);
          fs.readSync(fd, buf, 0, buf.length, offset);
          offset = size;
        }
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      // not there yet
    }
    const text = carry + buf.toString('utf8');
    const lines = text.split('\n');
    carry = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim() === '') continue;
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch {
        continue;
      }
      const e = JournalEventSchema.safeParse(raw);
      if (!e.success || e.data.seq <= seq) continue;
      seq = e.data.seq;
      yield e.data as JournalEvent;
    }
    const run = await currentRun(store, id);
    if (run.status !== 'RUNNING' && run.status !== 'QUEUED' && (run.journal_seq ?? 0) <= seq) return;
    if (opts.signal.aborted) return;
    await sleep(POLL_MS, opts.signal);
  }
}
