/**
 * Monitor: wait for active or incomplete runs to finish, all at once (the harness did one run at a
 * time). A run is judged as soon as its temp file is gone and its envelope is final: complete when
 * the exit is normal and all cases completed, incomplete otherwise — at once, where the harness
 * kept polling a finished-but-incomplete run for the whole timeout. Wake-ups come from file-system
 * events (watch.ts) with the poll interval as the fallback; a run still unfinished after the
 * timeout is marked `monitor_timeout`, as in the harness. A temp file that nobody has written for
 * `staleAfterMs` (`--stale-after`) is abandoned: the run is judged at once (outcome `abandoned`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { modelIdOf, statusOf, tmpNamesFor } from '../core/ops/scan-rules.js';
import type { Candidate, MonitorResult } from '../core/ops/types.js';
import type { Clock } from './clock.js';
import { realClock } from './clock.js';
import { readPyDict } from './files.js';
import type { WatchFactory } from './watch.js';
import { fsWatch } from './watch.js';

export interface MonitorOptions {
  pollMs: number;
  timeoutMs: number;
  clock?: Clock;
  /** null: poll only. */
  watch?: WatchFactory | null;
  signal?: AbortSignal;
  /** Called each time a run is judged. */
  onJudged?: (c: Candidate, r: MonitorResult) => void;
  /** A temp envelope unchanged this long (by its mtime) is abandoned: judged at once. Unset: never. */
  staleAfterMs?: number;
  /** Wall-clock milliseconds, compared with file mtimes (default Date.now). */
  wallNow?: () => number;
}

/** Wakes the waiters of one run. `gen` closes the gap between a probe and the wait that follows it. */
class Wakeup {
  gen = 0;
  private readonly waiters = new Set<() => void>();

  bump(): void {
    this.gen++;
    for (const w of [...this.waiters]) w();
  }

  async wait(gen: number, ms: number, clock: Clock, outer: AbortSignal | undefined): Promise<void> {
    if (this.gen !== gen || outer?.aborted === true) return;
    const ac = new AbortController();
    const stop = () => ac.abort();
    this.waiters.add(stop);
    outer?.addEventListener('abort', stop, { once: true });
    try {
      await clock.sleep(ms, ac.signal);
    } finally {
      this.waiters.delete(stop);
      outer?.removeEventListener('abort', stop);
    }
  }
}

/** Still running (`staleInMs`: when its temp file would be abandoned, if nothing writes it), or judged. */
type Probe = { done: false; staleInMs: number | null } | { done: true; result: Omit<MonitorResult, 'waited_ms'> };

type Staleness = Pick<MonitorOptions, 'staleAfterMs' | 'wallNow'>;

/** The temp file's mtime, or null when it is gone (renamed between the listing and the stat). */
function mtimeOf(file: string): number | null {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return null;
  }
}

/** Look once: still running, abandoned, or final (and then update the candidate, as the harness does). */
export function probe(c: Candidate, stale: Staleness = {}): Probe {
  const dir = path.dirname(c.envelope_path);
  const finalName = path.basename(c.envelope_path);
  const tmp = tmpNamesFor(finalName).find((t) => fs.existsSync(path.join(dir, t)));
  if (tmp !== undefined) {
    const mtime = stale.staleAfterMs === undefined ? null : mtimeOf(path.join(dir, tmp));
    if (mtime === null || stale.staleAfterMs === undefined) return { done: false, staleInMs: null };
    const age = (stale.wallNow ?? Date.now)() - mtime;
    if (age < stale.staleAfterMs) return { done: false, staleInMs: stale.staleAfterMs - age };
    c.status = 'incomplete';
    return { done: true, result: { outcome: 'abandoned', status: 'incomplete', monitor_timeout: false, abandoned: { tmp, unchanged_s: Math.floor(age / 1000) } } };
  }
  const read = readPyDict(c.envelope_path);
  if (read.kind === 'missing') return { done: false, staleInMs: null };
  if (read.kind === 'error') {
    c.status = 'unreadable';
    c.error = `${finalName}: ${read.message}`;
    c.tmp_path = null;
    return { done: true, result: { outcome: 'unreadable', status: 'unreadable', monitor_timeout: false } };
  }
  // An empty envelope is not final yet (the harness's `if not envelope_data: sleep`).
  if (read.value.size === 0) return { done: false, staleInMs: null };
  c.envelope = read.value;
  c.model_id = modelIdOf(read.value);
  c.has_final = true;
  c.tmp_path = null;
  c.error = null;
  c.status = statusOf(false, read.value);
  return {
    done: true,
    result: { outcome: c.status === 'complete' ? 'finished' : 'finished_incomplete', status: c.status, monitor_timeout: false },
  };
}

async function monitorOne(c: Candidate, wake: Wakeup, opts: MonitorOptions, clock: Clock): Promise<MonitorResult> {
  const start = clock.now();
  for (;;) {
    const gen = wake.gen;
    const p = probe(c, opts);
    const waited = clock.now() - start;
    if (p.done) return { ...p.result, waited_ms: Math.round(waited) };
    if (opts.signal?.aborted === true) return { outcome: 'canceled', status: c.status, monitor_timeout: false, waited_ms: Math.round(waited) };
    if (waited >= opts.timeoutMs) {
      c.status = 'incomplete';
      return { outcome: 'timeout', status: 'incomplete', monitor_timeout: true, waited_ms: Math.round(waited) };
    }
    // Wake up when the temp file would turn stale, too (plus a little: mtimes are coarse on some file systems).
    const untilStale = p.staleInMs === null ? Infinity : p.staleInMs + 50;
    await wake.wait(gen, Math.min(opts.pollMs, opts.timeoutMs - waited, untilStale), clock, opts.signal);
  }
}

/** Monitor every candidate concurrently; results in the candidates' order. */
export async function monitorAll(candidates: readonly Candidate[], opts: MonitorOptions): Promise<MonitorResult[]> {
  if (candidates.length === 0) return [];
  const clock = opts.clock ?? realClock;
  const wakes = candidates.map(() => new Wakeup());
  const byName = new Map<string, Wakeup>();
  candidates.forEach((c, i) => {
    const finalName = path.basename(c.envelope_path);
    for (const n of [finalName, ...tmpNamesFor(finalName)]) byName.set(n, wakes[i] as Wakeup);
  });
  const factory = opts.watch === undefined ? fsWatch : opts.watch;
  const dirs = [...new Set(candidates.map((c) => path.dirname(c.envelope_path)))];
  const sources = factory === null ? [] : dirs.map((d) => factory(d)).filter((s) => s !== null);
  for (const s of sources) {
    s.onChange((name) => {
      if (name === null) for (const w of wakes) w.bump();
      else byName.get(name)?.bump();
    });
  }
  try {
    return await Promise.all(
      candidates.map(async (c, i) => {
        const r = await monitorOne(c, wakes[i] as Wakeup, opts, clock);
        opts.onJudged?.(c, r);
        return r;
      }),
    );
  } finally {
    for (const s of sources) s.close();
  }
}
