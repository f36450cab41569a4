/**
 * A finished run killed after its last journal append, before RUN.json (and its manifest entry)
 * were replaced, would stay stale for ever: nothing writes to a finished run again. So a reader
 * that finds such a run lagging repairs it (issue 9): under the run's writer lock, taken without
 * waiting, it checks that the journal is still the one it replayed, that the chain verifies and
 * that the snapshot still lags, and then persists the rebuilt snapshot and attempt files. A reader
 * that cannot take the lock (a writer holds it, a task session is live) or cannot write (a
 * read-only checkout) serves the replay, exactly as before; it never fails because of the repair.
 */
import fs from 'node:fs';
import path from 'node:path';
import { InternalError } from '../core/errors.js';
import type { RunRecord } from '../core/schemas/run.js';
import { readJournal } from './journal.js';
import { refuseBrokenJournal, snapshotSeq } from './journal-check.js';
import type { HeldLock } from './lock.js';
import { inspectLock, tryAcquireLockSync } from './lock.js';

/** Ended: nothing is expected to write to it again (QUEUED and RUNNING runs have a writer coming). */
export function isFinishedRun(run: RunRecord): boolean {
  return run.status !== 'QUEUED' && run.status !== 'RUNNING';
}

/** A task session's lock (tasks/run-lock.ts): its heartbeat is older than this only when it died. */
const SESSION_STALE_MS = 120_000;

function sessionLive(logs: string): boolean {
  try {
    return inspectLock(path.join(logs, 'run.lock'), SESSION_STALE_MS).kind === 'held';
  } catch {
    return true; // cannot tell: leave the run alone
  }
}

function tryWriterLock(logs: string): HeldLock | null {
  try {
    fs.mkdirSync(logs, { recursive: true });
    return tryAcquireLockSync(path.join(logs, 'writer.lock'), { purpose: 'repair' });
  } catch {
    return null; // read-only directory, or not a directory: serve the replay
  }
}

/**
 * Persist a lagging snapshot of the run directory `dir` whose journal ends at event `lastSeq`
 * (`write` replaces the attempt files, then RUN.json). True when it was written now.
 */
export function repairFinishedRun(runId: string, dir: string, lastSeq: number, journalDisplay: string, write: () => void): boolean {
  const logs = path.join(dir, 'logs');
  if (sessionLive(logs)) return false;
  const lock = tryWriterLock(logs);
  if (lock === null) return false;
  try {
    const recordDir = path.join(dir, 'record');
    const journal = readJournal(path.join(recordDir, 'events.jsonl'), journalDisplay);
    // Changed since the caller replayed it (a writer came and went), torn, or repaired meanwhile.
    if (journal.torn !== null || journal.events[journal.events.length - 1]?.seq !== lastSeq) return false;
    const snapSeq = snapshotSeq(path.join(recordDir, 'RUN.json'));
    if (snapSeq === lastSeq) return false;
    refuseBrokenJournal(runId, journal, journalDisplay, snapSeq);
    write();
    return true;
  } catch (err) {
    if (err instanceof InternalError) throw err;
    return false; // a broken chain (audit reports it) or a write that failed: serve the replay
  } finally {
    lock.release();
  }
}
