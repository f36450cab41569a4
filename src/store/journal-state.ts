/** A run as of a fully read journal: its snapshot if it is in step, else a replay of the journal. */
import path from 'node:path';
import type { RunRecord } from '../core/schemas/run.js';
import { safeParseRunRecord } from '../core/schemas/run-fast.js';
import type { JournalRead } from './journal.js';
import { replayOrRefuse } from './journal-check.js';
import { parseJsonText, readTextFile } from './read-json.js';

/** `journalDisplay`: the journal's path as errors show it. */
export function stateFromJournal(dir: string, journal: JournalRead, journalDisplay: string): { run: RunRecord; lagging: boolean } {
  const lastSeq = journal.events[journal.events.length - 1]?.seq ?? 0;
  try {
    const snap = path.join(dir, 'record', 'RUN.json');
    const r = safeParseRunRecord(parseJsonText(readTextFile(snap, snap), snap));
    if (r.success && r.data.journal_seq === lastSeq) return { run: r.data, lagging: false };
  } catch {
    // missing or torn snapshot: replay
  }
  return { run: replayOrRefuse(path.basename(dir), journal, journalDisplay), lagging: true };
}
