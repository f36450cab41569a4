/**
 * Reading one run from disk without a lock (RunStore.load). Cheap path: the snapshot is used when
 * its `journal_seq` equals the seq of the journal's last line (only that line is parsed).
 * Otherwise the journal is read in full and replayed (`lagging`). A record without a journal was
 * written by another tool (`legacy`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError, ValidationError } from '../core/errors.js';
import type { RunRecord } from '../core/schemas/run.js';
import { safeParseRunRecord } from '../core/schemas/run-fast.js';
import type { JournalRead } from './journal.js';
import { readJournal } from './journal.js';
import { replayOrRefuse } from './journal-check.js';
import { readTail } from './record-files.js';
import { parseJsonText, parseRunRecord, readTextFile } from './read-json.js';
import { pathPresent } from './strict-read.js';

export interface LoadedRun {
  run: RunRecord;
  dir: string;
  /** Written by another tool: no journal. */
  legacy: boolean;
  /** The snapshot on disk was behind the journal (rebuilt in memory). */
  lagging: boolean;
  /** A torn last journal line was ignored. */
  torn: { line: number; bytes: number } | null;
  /** The run had finished and its lagging snapshot was persisted by this read (repair-finished.ts). */
  repaired?: boolean;
}

/** A lagging run's full journal and the snapshot it was rebuilt past (null if none was valid). */
export interface ReplayedRun {
  journal: JournalRead;
  stale: RunRecord | null;
}

function readLegacy(recordDir: string, snapFile: string, display: (abs: string) => string): RunRecord {
  if (!pathPresent(snapFile)) throw new ValidationError(display(recordDir), 'RUN.json', 'missing (the run has no record)');
  const snapDisplay = display(snapFile);
  return parseRunRecord(parseJsonText(readTextFile(snapFile, snapDisplay), snapDisplay), snapDisplay);
}

/** The run in `dir` as its files say; `replayed` is set when the journal was read and replayed. */
export function readRunFromDisk(runId: string, dir: string, display: (abs: string) => string): { loaded: LoadedRun; replayed: ReplayedRun | null } {
  const recordDir = path.join(dir, 'record');
  const journalFile = path.join(recordDir, 'events.jsonl');
  const snapFile = path.join(recordDir, 'RUN.json');
  if (!fs.existsSync(dir)) throw new UserError(`Run not found: ${runId}`, 'run_not_found');
  const tail = readTail(journalFile, display(journalFile));
  if (tail === null) return { loaded: { run: readLegacy(recordDir, snapFile, display), dir, legacy: true, lagging: false, torn: null }, replayed: null };
  let snapshot: RunRecord | null = null;
  if (tail.lastSeq !== null) {
    const snapDisplay = display(snapFile);
    try {
      const r = safeParseRunRecord(parseJsonText(readTextFile(snapFile, snapDisplay), snapDisplay));
      if (r.success) snapshot = r.data;
    } catch {
      snapshot = null; // missing or torn snapshot: the journal has everything
    }
    if (snapshot !== null && snapshot.journal_seq === tail.lastSeq) return { loaded: { run: snapshot, dir, legacy: false, lagging: false, torn: tail.torn }, replayed: null };
  }
  const journal = readJournal(journalFile, display(journalFile));
  if (journal.events.length === 0) return { loaded: { run: readLegacy(recordDir, snapFile, display), dir, legacy: true, lagging: false, torn: journal.torn }, replayed: null };
  const run = replayOrRefuse(runId, journal, display(journalFile));
  return { loaded: { run, dir, legacy: false, lagging: true, torn: journal.torn }, replayed: { journal, stale: snapshot } };
}
