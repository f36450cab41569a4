/**
 * Tail every run's journal under a runs directory: report the complete lines appended since the
 * last look, per run. File events (fs.watch on the runs directory and on each run's record/
 * directory) make it prompt; a poll every `pollMs` makes it certain (watchers miss events on some
 * file systems, and a run directory can appear between two scans).
 *
 * Reading a journal is `runr follow`'s JournalTail (src/supervise); this module adds what a
 * page of every run needs on top: finding new runs, and one cheap size check per run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { JournalTail as OneJournal } from '../supervise/journal-tail.js';

export interface TailedLine {
  seq: number;
  ts: string;
  type: string;
}

export interface JournalTail {
  close: () => void;
}

interface FileState {
  /** Size of the journal when last looked at (its lines are read only when it changes). */
  size: number;
  /** `runr follow`'s reader of one journal (validated events), made on the first change. */
  reader: OneJournal | null;
  watcher: fs.FSWatcher | null;
}

export interface TailOptions {
  runsDir: string;
  onLines: (runId: string, lines: TailedLine[]) => void;
  pollMs?: number;
}

export function tailJournals(opts: TailOptions): JournalTail {
  const files = new Map<string, FileState>();
  let closed = false;

  const journalOf = (runId: string) => path.join(opts.runsDir, runId, 'record', 'events.jsonl');
  const sizeOf = (runId: string): number => {
    try {
      return fs.statSync(journalOf(runId)).size;
    } catch {
      return 0;
    }
  };

  const readNew = (runId: string) => {
    const st = files.get(runId);
    if (st === undefined || closed) return;
    const size = sizeOf(runId);
    if (size === st.size) return;
    st.size = size;
    // A journal that existed when the tail started is read whole on its first change (the
    // message carries the run's new state; the lines are informative).
    st.reader ??= new OneJournal(journalOf(runId), { watch: false });
    let lines: TailedLine[];
    try {
      lines = st.reader.read().map((e) => ({ seq: e.seq, ts: e.ts, type: e.type }));
    } catch {
      return; // a line that does not validate: the record says so when the page loads it
    }
    if (lines.length > 0) opts.onLines(runId, lines.slice(-50));
  };

  const watchRun = (runId: string, initial: boolean) => {
    if (files.has(runId) || !runId.startsWith('run_')) return;
    const recordDir = path.join(opts.runsDir, runId, 'record');
    const st: FileState = { size: initial ? sizeOf(runId) : 0, reader: null, watcher: null };
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
