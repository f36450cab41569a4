/**
 * Before a writer extends a journal it proves the chain it appends to (issue 9): every line's `seq`
 * and `prev` hash, and a journal at least as long as the snapshot says it is. A deleted, swapped,
 * duplicated or edited line, a journal truncated mid-file (which would otherwise look like a torn
 * last line and be cut), emptied or deleted while RUN.json counts events runr wrote: all are
 * refused with exit 2 and a pointer at `runr audit`, and nothing is written. A genuinely torn last
 * line (a crash mid-append) leaves the snapshot at the last good line and is still repaired.
 */
import fs from 'node:fs';
import { InternalError, ValidationError } from '../core/errors.js';
import { replay } from '../core/reduce/index.js';
import type { RunRecord } from '../core/schemas/run.js';
import type { JournalRead } from './journal.js';
import { verifyChain } from './journal.js';

/** RUN.json's `journal_seq` (how many journal events it folds), or null (absent, unreadable, foreign). */
export function snapshotSeq(snapFile: string): number | null {
  try {
    const raw = JSON.parse(fs.readFileSync(snapFile, 'utf8')) as { journal_seq?: unknown };
    return typeof raw.journal_seq === 'number' && Number.isInteger(raw.journal_seq) ? raw.journal_seq : null;
  } catch {
    return null;
  }
}

export function refuseBrokenJournal(runId: string, journal: JournalRead, display: string, snapSeq: number | null): void {
  const audit = `refusing to write; run \`runr audit ${runId}\``;
  const problem = verifyChain(journal)[0];
  if (problem !== undefined) throw new ValidationError(display, `line ${problem.line}`, `${problem.problem}: the hash chain is broken (${audit})`);
  const have = journal.events.length;
  if (snapSeq !== null && snapSeq > have) {
    const what = have === 0 ? 'the journal is empty or missing' : `the journal ends after event ${have}`;
    throw new ValidationError(display, have === 0 ? '(file)' : `line ${have + 1}`, `${what} but RUN.json counts ${snapSeq} events: events ${have + 1}–${snapSeq} were removed (${audit})`);
  }
}

/** Replay the journal; a journal whose events do not fold (a line deleted, say) is a clean error. */
export function replayOrRefuse(runId: string, journal: JournalRead, display: string): RunRecord {
  let run: RunRecord | null;
  try {
    run = replay(journal.events);
  } catch (err) {
    if (!(err instanceof InternalError)) throw err;
    const problem = verifyChain(journal)[0];
    throw new ValidationError(display, problem !== undefined ? `line ${problem.line}` : '(events)', `the journal does not replay (${err.message}${problem !== undefined ? `; ${problem.problem}` : ''}); run \`runr audit ${runId}\``);
  }
  if (run === null) throw new InternalError(`empty replay for ${runId}`);
  return run;
}
