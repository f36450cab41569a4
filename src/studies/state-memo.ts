/**
 * "Up to date" verdicts remembered by their run's journal stat and a digest of what the decision
 * read, so a `batch run` on an unchanged batch neither loads nor schema-checks every variant's run
 * record again (that was most of its own work).
 *
 * Whether a variant is up to date is a function of its run's pipeline section (itself a function
 * of the run's journal, which the store only ever appends to; a rewrite makes a new inode) and of
 * the current stage keys and output hashes. A verdict is remembered when the unlocked first look
 * found every stage with nothing to do; it is used only when the journal's stat — device, inode,
 * size, mtime and ctime to the nanosecond — is the one taken just before the section was read, the
 * journal had settled by then (the racy-file rule of hash-paths.ts), and the digest of the stage
 * names, keys and output hashes (and runr's version) is the same. Anything else, and the record is
 * loaded and the decision made as before. Verdicts are saved in the batch's cache file
 * (hash-cache.ts), schema-checked on load; they only ever save time.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { VERSION } from '../core/version.js';
import { settled, stampOf } from './hash-paths.js';
import type { Hasher } from './hash-paths.js';
import { SavedMemory } from './saved-memory.js';
import type { ResolvedVariant } from './resolve.js';

/** A skipped stage's recorded status (a FAIL or interrupted stage always has a reason to run). */
export type SkippedStatus = 'PASS' | 'WARN' | null;

export interface VerdictEntry {
  run_id: string;
  /** The journal's stat (`dev:ino:size:mtimeNs:ctimeNs`) taken just before the section was read. */
  stamp: string;
  /** Epoch ms of that stat. */
  stat_at: number;
  /** sha256 of the stage names, keys and output hashes the decision compared (see `digestOf`). */
  digest: string;
  /** Each stage's recorded status, as the up-to-date result reports it. */
  statuses: Record<string, SkippedStatus>;
}

/** A journal stat with the time it was taken. */
export interface JournalStat {
  stamp: string;
  at: number;
  st: fs.BigIntStats;
}

export function statJournal(journal: string, now: () => number = Date.now): JournalStat | null {
  const at = now();
  try {
    const st = fs.statSync(journal, { bigint: true });
    return st.isFile() ? { stamp: stampOf(st), at, st } : null;
  } catch {
    return null;
  }
}

/** What the up-to-date decision of `rv` compares with the record: each stage's key and output hashes. */
export function digestOf(hasher: Hasher, repo: string, rv: ResolvedVariant): string {
  const stages = rv.stages.map((st) => [st.name, st.keyBase, hasher.hashAll(repo, st.deps), hasher.hashAll(repo, st.outs)]);
  return createHash('sha256').update(JSON.stringify([VERSION, rv.dir, stages])).digest('hex');
}

export class StateMemo extends SavedMemory<VerdictEntry> {
  hits = 0;

  /** The remembered statuses when run `runId`'s journal is exactly as it was then, had settled, and the digest is the same. */
  lookup(journal: string, runId: string, now: JournalStat | null, digest: string): Record<string, SkippedStatus> | null {
    if (now === null) return null;
    const e = this.memory.get(journal);
    if (e === undefined || e.run_id !== runId || e.stamp !== now.stamp || e.digest !== digest || !settled(now.st, e.stat_at)) return null;
    this.hits++;
    return e.statuses;
  }

  /** Remember that the section read just after `before` was taken left every stage with nothing to do. */
  record(journal: string, runId: string, before: JournalStat | null, digest: string, statuses: Record<string, SkippedStatus>): void {
    if (before === null) return;
    const e = this.memory.get(journal);
    // Already usable: keep it. Otherwise this later stat may be the one taken after the journal settled.
    if (e !== undefined && e.run_id === runId && e.stamp === before.stamp && e.digest === digest && settled(before.st, e.stat_at)) return;
    this.memory.set(journal, { run_id: runId, stamp: before.stamp, stat_at: before.at, digest, statuses });
    this.changed = true;
  }
}
