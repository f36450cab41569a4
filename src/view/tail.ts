/**
 * Tail every run's journal under a runs directory: report the complete lines appended since the
 * last look, per run. File events (fs.watch on the runs directory and on each run's record/
 * directory) make it prompt; a poll every `pollMs` makes it certain (watchers miss events on some
 * file systems, and a run directory can appear between two scans).
 *
 * Written for `runr view --serve`. `runr follow` (src/supervise) tails one journal the same way;
 * the two should share one tail once both are on main (see docs/view.md).
 */
import fs from 'node:fs';
import path from 'node:path';

export interface TailedLine {
  seq: number;
  ts: string;
  type: string;
}

export interface JournalTail {
  close: () => void;
}

interface FileState {
  offset: number;
  /** A line not yet terminated by a newline (a write in progress). */
  partial: string;
  watcher: fs.FSWatcher | null;
}

export interface TailOptions {
  runsDir: string;
  onLines: (runId: string, lines: TailedLine[]) => void;
  pollMs?: number;
  /** Start at the end of existing journals (default) or at their beginning. */
  fromStart?: boolean;
}

function parseLine(text: string): TailedLine | null {
  try {
    const v = JSON.parse(text) as { seq?: unknown; ts?: unknown; type?: unknown };
    return typeof v.seq === 'number' && typeof v.ts === 'string' && typeof v.type === 'string' ? { seq: v.seq, ts: v.ts, type: v.type } : null;
  } catch {
    return null;
  }
}

export function tailJournals(opts: TailOptions): JournalTail {
  const files = new Map<string, FileState>();
  let closed = false;

  const journalOf = (runId: string) => path.join(opts.runsDir, runId, 'record', 'events.jsonl');

  const readNew = (runId: string) => {
    const st = files.get(runId);
    if (st === undefined || closed) return;
    let size: number;
    try {
      size = fs.statSync(journalOf(runId)).size;
    } catch {
      return;
    }
    if (size < st.offset) [st.offset, st.partial] = [0, '']; // replaced or truncated (a torn line cut off): read again
    if (size === st.offset) return;
    const fd = fs.openSync(journalOf(runId), 'r');
    let chunk: Buffer;
    try {
      chunk = Buffer.alloc(size - st.offset);
      fs.readSync(fd, chunk, 0, chunk.length, st.offset);
    } finally {
      fs.closeSync(fd);
    }
    st.offset = size;
    const text = st.partial + chunk.toString('utf8');
    const parts = text.split('\n');
    st.partial = parts.pop() ?? '';
    const lines = parts.map(parseLine).filter((l): l is TailedLine => l !== null);
    if (lines.length > 0) opts.onLines(runId, lines);
  };

  const watchRun = (runId: string, initial: boolean) => {
    if (files.has(runId) || !runId.startsWith('run_')) return;
    const recordDir = path.join(opts.runsDir, runId, 'record');
    let offset = 0;
    if (initial && opts.fromStart !== true) {
      try {
        offset = fs.statSync(journalOf(runId)).size;
      } catch {
        offset = 0;
      }
    }
    const st: FileState = { offset, partial: '', watcher: null };
    files.set(runId, st);
    try {
      st.watcher = fs.watch(recordDir, () => readNew(runId));
      st.watcher.on('error', () => undefined);
    } catch {
      st.watcher = null; // no record/ yet: the poll picks it up
    }
    if (!initial) readNew(runId);
  };

  const scan = (initial: boolean) => {
    let names: string[] = [];
    try {
      names = fs.readdirSync(opts.runsDir);
    } catch {
      return;
    }
    for (const n of names) {
      const known = files.get(n);
      if (known === undefined) watchRun(n, initial);
      else {
        if (known.watcher === null) {
          try {
            known.watcher = fs.watch(path.join(opts.runsDir, n, 'record'), () => readNew(n));
            known.watcher.on('error', () => undefined);
          } catch {
            known.watcher = null;
          }
        }
        readNew(n);
      }
    }
  };

  scan(true);
  let dirWatcher: fs.FSWatcher | null = null;
  try {
    dirWatcher = fs.watch(opts.runsDir, () => scan(false));
    dirWatcher.on('error', () => undefined);
  } catch {
    dirWatcher = null;
  }
  const timer = setInterval(() => scan(false), opts.pollMs ?? 1000);
  timer.unref();
  return {
    close: () => {
      closed = true;
      clearInterval(timer);
      dirWatcher?.close();
      for (const st of files.values()) st.watcher?.close();
      files.clear();
    },
  };
}
