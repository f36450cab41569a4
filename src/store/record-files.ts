/**
 * Low-level helpers for the files of a run record: change detection for the in-process cache,
 * the cheap "last journal line" read, attempt-file consistency, crash leftovers.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { JournalEvent } from '../core/events/index.js';
import type { RunRecord } from '../core/schemas/run.js';
import { pidAlive } from './lock.js';
import { readStrictBytesOrNull, readStrictText } from './strict-read.js';
import { walkFiles } from './walk.js';

export interface FileStamp {
  size: number;
  mtimeMs: number;
  ino: number;
}

export function statOrNull(file: string): FileStamp | null {
  try {
    const st = fs.statSync(file);
    return { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino };
  } catch {
    return null;
  }
}

export function sameStat(a: FileStamp | null, b: FileStamp): boolean {
  return a !== null && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;
}

/** Seq of the last complete journal line, and a torn trailing fragment; null when there is no journal. */
export function readTail(file: string, display = file): { lastSeq: number | null; torn: { line: number; bytes: number } | null } | null {
  // File type and size are checked strictly; the text is decoded in full only by readJournal.
  const bytes = readStrictBytesOrNull(file, display);
  if (bytes === null) return null;
  const text = bytes.toString('utf8');
  if (text === '') return null;
  const end = text.endsWith('\n') ? text.length - 1 : text.lastIndexOf('\n');
  const torn = text.endsWith('\n') ? null : { line: text.split('\n').length, bytes: Buffer.byteLength(text.slice(end + 1)) };
  if (end <= 0) return { lastSeq: null, torn };
  const start = text.lastIndexOf('\n', end - 1) + 1;
  try {
    const last = JSON.parse(text.slice(start, end)) as { seq?: unknown };
    return { lastSeq: typeof last.seq === 'number' ? last.seq : null, torn };
  } catch {
    return { lastSeq: null, torn };
  }
}

/** Drop `absolute_path` keys (the original tool leaked home directories through them). */
export function stripAbsolutePaths<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => stripAbsolutePaths(v) as unknown) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (k !== 'absolute_path') out[k] = stripAbsolutePaths(v);
    return out as T;
  }
  return value;
}

/** Key-order-insensitive JSON equality. */
export function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, x]) => [k, canonical(x)]));
  return v;
}

export function attemptFilesInStep(recordDir: string, run: RunRecord): boolean {
  for (const g of run.gates) {
    for (const a of g.attempts) {
      try {
        const f = path.join(recordDir, 'gates', g.gate, `attempt-${a.attempt}.json`);
        const raw = JSON.parse(readStrictText(f, f)) as Record<string, unknown>;
        const { schema_version: _v, ...rest } = raw;
        if (JSON.stringify(canonical(rest)) !== JSON.stringify(canonical(a))) return false;
      } catch {
        return false;
      }
    }
  }
  return true;
}

/** Temp files of atomic writes interrupted by a crash (their writer is gone). */
export function removeStaleTemps(dir: string): void {
  walkFiles(dir, (abs) => {
    const m = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/.exec(path.basename(abs));
    if (m && !pidAlive(Number(m[1]))) fs.rmSync(abs, { force: true });
  });
}

/** The attempts (gate + number) a batch of journal events changed. */
export function touchedAttempts(events: JournalEvent[]): Set<string> {
  const out = new Set<string>();
  for (const e of events) {
    switch (e.type) {
      case 'gate.started':
      case 'gate.finished':
      case 'gate.failed':
        out.add(`${e.gate}\u0000${e.attempt}`);
        break;
      case 'invocation.recorded':
        if (e.attempt !== null) out.add(`${e.invocation.gate}\u0000${e.attempt}`);
        break;
      case 'run.created':
      case 'run.imported':
      case 'run.completed':
        break;
      case 'task.started':
      case 'task.planned':
      case 'task.implemented':
      case 'task.verified':
      case 'task.reviewed':
      case 'task.checkpointed':
      case 'task.stopped':
      case 'task.resumed':
        break;
      case 'ops.started':
      case 'ops.completed':
        break;
    }
  }
  return out;
}
