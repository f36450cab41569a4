/**
 * `runr watch`: follow a run and report, as a stream of events (the operator guide's JSON event
 * stream); with auto-resume, resume transient stops in a detached supervisor after a cooldown.
 * Events: watching {phase, elapsed_s} (at the start and on each phase change), failed
 * {stop_reason}, resumed {attempt}, succeeded {milestones_completed}, gave_up {stop_reason,
 * attempts}, surfaced {stop_reason, files, next_action, suggested_command}.
 */
import type { WatchDecision } from '../core/supervise/watch-policy.js';
import { decideWatch } from '../core/supervise/watch-policy.js';
import type { RunView } from '../core/supervise/run-view.js';
import { STOP_REASONS, suggestedCommand } from '../core/tasks/stop-reasons.js';
import type { RunStore } from '../store/run-store.js';
import { spawnDetachedSession } from './detach.js';
import { tailRun } from './tail-run.js';

export type WatchEvent =
  | { event: 'watching'; phase: string | null; elapsed_s: number }
  | { event: 'failed'; stop_reason: string | null }
  | { event: 'resumed'; attempt: number }
  | { event: 'succeeded'; milestones_completed: number }
  | { event: 'gave_up'; stop_reason: string | null; attempts: number; detail?: string }
  | { event: 'surfaced'; stop_reason: string | null; files: string[]; next_action: string | null; suggested_command: string | null };

export interface WatchOptions {
  autoResume: boolean;
  maxAttempts: number;
  cooldownMs: number;
  signal: AbortSignal;
  runrBin: string;
  cwd: string;
  /** Forwarded to `resume` (`--runs-dir`). */
  runsDirArg?: string;
  now?: () => number;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Seconds since the current session started (the run's start, or its last resume). */
function sessionElapsed(run: { started_at: string }, resumedAt: number | null, now: number): number {
  const start = resumedAt ?? Date.parse(run.started_at);
  return Math.max(0, Math.round((now - start) / 1000));
}

export async function* watchRun(store: RunStore, runId: string, o: WatchOptions): AsyncGenerator<WatchEvent, 'succeeded' | 'stopped' | 'interrupted', undefined> {
  const now = o.now ?? Date.now;
  let attempts = 0;
  let lastPhase: string | null | undefined;
  let sessionStart: number | null = null;
  let failedSeen = false;
  for (;;) {
    let decision: WatchDecision | null = null;
    let view: RunView | null = null;
    for await (const u of tailRun(store, runId, { since: 'now', signal: o.signal })) {
      if (u.kind === 'event' && u.event.type === 'task.resumed') sessionStart = Date.parse(u.event.ts);
      if (!u.view.terminal && u.view.phase !== lastPhase) {
        lastPhase = u.view.phase;
        failedSeen = false;
        yield { event: 'watching', phase: u.view.phase, elapsed_s: sessionElapsed(u.run, sessionStart, now()) };
      }
      if (u.kind !== 'caught_up') continue;
      const d = decideWatch(u.view, { autoResume: o.autoResume, attemptsUsed: attempts, maxAttempts: o.maxAttempts });
      if (d.kind !== 'keep_watching') {
        decision = d;
        view = u.view;
        break;
      }
    }
    if (decision === null || view === null) return 'interrupted';
    if (decision.kind === 'succeeded') {
      yield { event: 'succeeded', milestones_completed: view.milestones_completed };
      return 'succeeded';
    }
    if (!failedSeen) yield { event: 'failed', stop_reason: view.stop_reason };
    failedSeen = true;
    lastPhase = view.phase;
    if (decision.kind === 'surfaced') {
      const r = view.stop_reason;
      yield { event: 'surfaced', stop_reason: r, files: view.guard_files, next_action: r === null ? null : STOP_REASONS[r].nextAction, suggested_command: r === null ? null : suggestedCommand(r, { run_id: runId }) };
      return 'stopped';
    }
    if (decision.kind === 'gave_up') {
      yield { event: 'gave_up', stop_reason: decision.stop_reason, attempts };
      return 'stopped';
    }
    await sleep(o.cooldownMs, o.signal);
    if (o.signal.aborted) return 'interrupted';
    const args = ['resume', runId, ...(o.runsDirArg !== undefined ? ['--runs-dir', o.runsDirArg] : [])];
    const r = await spawnDetachedSession({ runrBin: o.runrBin, cwd: o.cwd, args, runsDir: store.runsDir, signal: o.signal });
    attempts += 1;
    if (!r.ok) {
      // Someone else resumed it first (the run is alive again): keep watching, it was not our attempt.
      if (/still running/.test(r.output)) {
        attempts -= 1;
        continue;
      }
      yield { event: 'gave_up', stop_reason: view.stop_reason, attempts, detail: r.output.trim().slice(0, 500) };
      return 'stopped';
    }
    sessionStart = now();
    failedSeen = false;
    yield { event: 'resumed', attempt: decision.attempt };
  }
}
