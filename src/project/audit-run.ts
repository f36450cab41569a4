/**
 * Audit a run: the journal chain (seq + prev hashes), the snapshot against a replay of the
 * journal, the attempt files against RUN.json, and every recorded artifact re-hashed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { InternalError } from '../core/errors.js';
import { replay } from '../core/reduce/index.js';
import type { RunRecord } from '../core/schemas/run.js';
import { AttemptFileSchema } from '../core/schemas/run.js';
import { safeParseRunRecord } from '../core/schemas/run-fast.js';
import { resolveTemplate } from '../gates/context.js';
import { sha256File } from '../store/hash.js';
import { verifyChain } from '../store/journal.js';
import { snapshotSeq } from '../store/journal-check.js';
import type { RunStore } from '../store/run-store.js';
import { runVars } from '../workflows/gate-ops.js';
import { parseStrictJson, readStrictText } from '../store/strict-read.js';

export type ArtifactStatus = 'ok' | 'drift' | 'missing' | 'escapes';

export interface AuditReport {
  run_id: string;
  ok: boolean;
  journal: { present: boolean; events: number; chain_ok: boolean; problems: Array<{ line: number; problem: string }>; torn_line: number | null };
  snapshot: { in_step: boolean; detail: string };
  attempt_files: { checked: number; mismatched: string[] };
  artifacts: Array<{ path: string; gate: string; expected: string; actual: string | null; status: ArtifactStatus }>;
  /** `run complete --force` over failed blocking gates, from the journal (shown, not a failure). */
  overrides: Array<{ seq: number; ts: string; status: string; gates: string[] }>;
}

/** Compare two values as JSON (key order insensitive). */
function sameJson(a: unknown, b: unknown): boolean {
  const norm = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(norm);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : 1)).map(([k, x]) => [k, norm(x)]));
    return v;
  };
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

function readSnapshot(file: string): RunRecord | null {
  try {
    const r = safeParseRunRecord(parseStrictJson(readStrictText(file, file), file));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

/** The journal folded into a record, or why it cannot be (a broken chain is reported, never a crash). */
function tryReplay(events: Parameters<typeof replay>[0]): { run: RunRecord | null; error: string | null } {
  try {
    return { run: replay(events), error: null };
  } catch (err) {
    if (!(err instanceof InternalError)) throw err;
    return { run: null, error: err.message };
  }
}

/** Load the run (which repairs a finished run's lagging snapshot); the seq RUN.json had, if it did. */
function repairLagging(store: RunStore, runId: string, snapFile: string): number | null | undefined {
  const before = snapshotSeq(snapFile);
  try {
    return store.load(runId).repaired === true ? before : undefined;
  } catch (err) {
    if (err instanceof InternalError || !(err instanceof Error)) throw err;
    return undefined; // what is wrong is reported below, from the journal itself
  }
}

export async function auditRun(store: RunStore, runId: string): Promise<AuditReport> {
  const journal = store.journalFor(runId);
  const recordDir = store.recordDir(runId);
  const problems = verifyChain(journal);
  const journalPresent = journal.events.length > 0;
  // No journal: RUN.json is all there is, so it must validate (a bad field is exit 2, naming it).
  if (!journalPresent) store.load(runId);
  // A finished run killed before its last snapshot write is repaired by the load (issue 9); say so.
  const repairedFrom = journalPresent && problems.length === 0 ? repairLagging(store, runId, path.join(recordDir, 'RUN.json')) : undefined;
  let snapshot: AuditReport['snapshot'];
  const onDisk = readSnapshot(path.join(recordDir, 'RUN.json'));
  const replayed = journalPresent ? tryReplay(journal.events) : { run: null, error: null };
  const rebuilt = replayed.run;
  const counted = onDisk?.journal_seq ?? null;
  if (!journalPresent && counted !== null && counted > 0) {
    snapshot = { in_step: false, detail: `the journal is empty or missing but RUN.json counts ${counted} events runr wrote: the journal was removed (tampering)` };
    problems.push({ line: 1, problem: `missing: events 1–${counted} that RUN.json counts` });
  } else if (!journalPresent) {
    snapshot = { in_step: onDisk !== null, detail: 'no journal: record written by another tool (nothing to replay)' };
  } else if (replayed.error !== null) {
    snapshot = { in_step: false, detail: `the journal does not replay (${replayed.error}): the chain is broken` };
  } else if (counted !== null && counted > journal.events.length) {
    snapshot = { in_step: false, detail: `RUN.json counts ${counted} events but the journal has ${journal.events.length}: events ${journal.events.length + 1}–${counted} are missing (truncated or deleted)` };
    problems.push({ line: journal.events.length + 1, problem: `missing: events ${journal.events.length + 1}–${counted} that RUN.json counts` });
  } else {
    if (onDisk === null) snapshot = { in_step: false, detail: 'RUN.json missing or unreadable (rebuilt from the journal on next write)' };
    else if (onDisk.journal_seq !== rebuilt?.journal_seq) snapshot = { in_step: false, detail: `RUN.json is at event ${onDisk.journal_seq ?? '?'}, journal at ${rebuilt?.journal_seq ?? '?'} (lagging; repaired on next write)` };
    else if (!sameJson(onDisk, rebuilt)) snapshot = { in_step: false, detail: 'RUN.json differs from a replay of the journal (edited by hand?)' };
    else snapshot = { in_step: true, detail: `RUN.json equals a replay of ${journal.events.length} events${repairedFrom !== undefined ? ` (repaired now: it was at event ${repairedFrom ?? 'none'}, the run had finished)` : ''}` };
  }
  const run = rebuilt ?? onDisk;
  if (run === null) {
    return { run_id: runId, ok: false, journal: { present: journalPresent, events: journal.events.length, chain_ok: false, problems, torn_line: journal.torn?.line ?? null }, snapshot, attempt_files: { checked: 0, mismatched: [] }, artifacts: [], overrides: [] };
  }
  const mismatched: string[] = [];
  let checked = 0;
  for (const g of run.gates) {
    for (const a of g.attempts) {
      checked += 1;
      const f = path.join(recordDir, 'gates', g.gate, `attempt-${a.attempt}.json`);
      let fileAttempt: unknown = null;
      try {
        const parsed = AttemptFileSchema.safeParse(parseStrictJson(readStrictText(f, f), f));
        fileAttempt = parsed.success ? parsed.data : null;
      } catch {
        fileAttempt = null;
      }
      if (fileAttempt === null) {
        mismatched.push(`${g.gate}/attempt-${a.attempt}.json missing or invalid`);
        continue;
      }
      const { schema_version: _v, ...rest } = fileAttempt as Record<string, unknown>;
      if (journalPresent && !sameJson(rest, a)) mismatched.push(`${g.gate}/attempt-${a.attempt}.json differs from RUN.json`);
    }
  }
  const vars = runVars(run);
  const artifacts: AuditReport['artifacts'] = [];
  for (const entry of run.artifacts_index) {
    const r = resolveTemplate({ root: store.project.root, vars }, entry.path);
    if (!r.ok) {
      artifacts.push({ path: entry.path, gate: entry.gate, expected: entry.sha256, actual: null, status: 'escapes' });
      continue;
    }
    if (!fs.existsSync(r.abs)) {
      artifacts.push({ path: entry.path, gate: entry.gate, expected: entry.sha256, actual: null, status: 'missing' });
      continue;
    }
    const actual = await sha256File(r.abs);
    artifacts.push({ path: entry.path, gate: entry.gate, expected: entry.sha256, actual, status: actual === entry.sha256 ? 'ok' : 'drift' });
  }
  const overrides: AuditReport['overrides'] = [];
  for (const e of journal.events) {
    if (e.type === 'run.completed' && e.forced_over !== undefined && e.forced_over.length > 0) overrides.push({ seq: e.seq, ts: e.ts, status: e.status, gates: e.forced_over.map((g) => g.gate) });
  }
  const ok = problems.length === 0 && journal.torn === null && snapshot.in_step && mismatched.length === 0 && artifacts.every((a) => a.status === 'ok');
  return {
    run_id: runId,
    ok,
    journal: { present: journalPresent, events: journal.events.length, chain_ok: problems.length === 0, problems, torn_line: journal.torn?.line ?? null },
    snapshot,
    attempt_files: { checked, mismatched },
    artifacts,
    overrides,
  };
}
