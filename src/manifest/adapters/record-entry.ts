/**
 * The fast path of a rebuild: a run's manifest entry from its RUN.json, read strictly (UTF-8, no
 * NUL, size and depth limits: store/strict-read.ts) and checked by hand — the type of every field
 * the entry is made of, and the top-level shape of a record — instead of the store's full schema,
 * which was most of a rebuild's time. Only a snapshot in step with its journal (or a record without
 * one) is taken this way; anything else (a lagging snapshot, a record that fails the check, a read
 * that fails) returns null and goes through the store's loader, whose errors name the file and the
 * field exactly as before.
 */
import path from 'node:path';
import type { ManifestEntry } from '../../core/manifest/entry.js';
import { entryFromRecord } from '../../core/manifest/entry.js';
import type { RunRecord } from '../../core/schemas/run.js';
import { RUN_KINDS, RUN_STATUSES } from '../../core/schemas/run.js';
import { readTail } from '../../store/record-files.js';
import { journalLastSeq } from './journal-seq.js';
import { decodeStrict, parseStrictJson, readStrictBytesOrNull } from '../../store/strict-read.js';

const STATUSES: ReadonlySet<unknown> = new Set(RUN_STATUSES);
const KINDS: ReadonlySet<unknown> = new Set(RUN_KINDS);

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const optString = (v: unknown): boolean => v === undefined || v === null || typeof v === 'string';
const optInt = (v: unknown, min: number): boolean => v === undefined || (typeof v === 'number' && Number.isInteger(v) && v >= min);
const optMap = (v: unknown): boolean => v === undefined || isObject(v);

function stringMap(v: unknown): boolean {
  if (v === undefined) return true;
  if (!isObject(v)) return false;
  for (const k in v) if (typeof v[k] !== 'string') return false;
  return true;
}

/** Whether `r` has the shape the store's schema requires, for every field an entry reads. */
export function entryFieldsValid(r: unknown): r is RunRecord {
  if (!isObject(r)) return false;
  const w = r.workflow;
  return (
    typeof r.run_id === 'string' &&
    (r.kind === undefined || KINDS.has(r.kind)) &&
    isObject(w) &&
    typeof w.name === 'string' &&
    typeof w.version === 'string' &&
    typeof w.slug === 'string' &&
    typeof w.artifact_path === 'string' &&
    typeof r.depth === 'string' &&
    STATUSES.has(r.status) &&
    typeof r.started_at === 'string' &&
    (r.finished_at === null || typeof r.finished_at === 'string') &&
    Array.isArray(r.gates) &&
    Array.isArray(r.invocations) &&
    Array.isArray(r.artifacts_index) &&
    Array.isArray(r.validations) &&
    Array.isArray(r.events) &&
    optMap(r.params) &&
    optMap(r.metrics) &&
    stringMap(r.tags) &&
    optString(r.stop_reason) &&
    optString(r.phase) &&
    optString(r.framework) &&
    optString(r.verification_status) &&
    (r.git === undefined || r.git === null || isObject(r.git)) &&
    (r.prompt === undefined || r.prompt === null || isObject(r.prompt)) &&
    optInt(r.journal_seq, 0) &&
    optInt(r.schema_version, 1)
  );
}

/** The entry of run directory `name`, or null: take the store's loader (see above). */
export function fastEntry(dir: string, name: string): { entry: ManifestEntry; legacy: boolean } | null {
  const recordDir = path.join(dir, name, 'record');
  try {
    const journal = path.join(recordDir, 'events.jsonl');
    const fromEnd = journalLastSeq(journal);
    const tail = fromEnd !== undefined ? fromEnd : readTail(journal);
    const file = path.join(recordDir, 'RUN.json');
    const bytes = readStrictBytesOrNull(file, file);
    if (bytes === null) return null;
    const raw = parseStrictJson(decodeStrict(bytes, file), file);
    if (!entryFieldsValid(raw) || raw.run_id !== name) return null;
    if (tail !== null && (tail.lastSeq === null || raw.journal_seq !== tail.lastSeq)) return null;
    return { entry: entryFromRecord(raw, name), legacy: tail === null };
  } catch {
    return null;
  }
}
