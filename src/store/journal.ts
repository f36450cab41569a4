/**
 * record/events.jsonl: the write-ahead journal. One event a line, appended and fsynced before the
 * snapshot is replaced. Each line's `prev` is the sha256 of the previous raw line.
 * A torn last line (a crash mid-write, or a truncated copy) is tolerated: it is ignored, reported,
 * and cut off before the next append so the chain stays linear.
 */
import fs from 'node:fs';
import { ValidationError } from '../core/errors.js';
import type { EventBody, JournalEvent } from '../core/events/index.js';
import { JournalEventSchema } from '../core/events/index.js';
import { formatZodIssue } from '../core/zod-format.js';
import { appendLineSync, writeFileAtomicSync } from './atomic.js';
import { sha256Text } from './hash.js';
import { MAX_JSON_DEPTH, decodeStrict, jsonTooDeep, readStrictBytesOrNull, textProblem } from './strict-read.js';

export interface JournalRead {
  events: JournalEvent[];
  /** Raw text of each good line (without newline). */
  lines: string[];
  /** Byte length of the good prefix of the file. */
  goodBytes: number;
  /** A last line that does not parse (incomplete write). */
  torn: { line: number; bytes: number } | null;
}

export interface ChainProblem {
  line: number;
  problem: string;
}

function parseLine(file: string, text: string, lineNo: number): JournalEvent {
  let raw: unknown;
  if (jsonTooDeep(text) >= 0) throw new ValidationError(file, `line ${lineNo}`, `nested deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ValidationError(file, `line ${lineNo}`, 'not valid JSON');
  }
  const r = JournalEventSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    const f = issue ? formatZodIssue(issue, raw) : null;
    throw new ValidationError(file, `line ${lineNo}${f && f.field !== '' ? `.${f.field}` : ''}`, f ? f.problem : 'invalid event');
  }
  return r.data as JournalEvent;
}

/** Read and validate the whole journal. `displayPath` is used in error messages. */
export function readJournal(file: string, displayPath = file): JournalRead {
  const bytes = readStrictBytesOrNull(file, displayPath);
  if (bytes === null) return { events: [], lines: [], goodBytes: 0, torn: null };
  const text = decodeJournal(bytes, displayPath);
  const parts = text.split('\n');
  const endsClean = text.endsWith('\n') || text === '';
  const last = parts.pop() ?? '';
  const events: JournalEvent[] = [];
  const lines: string[] = [];
  let goodBytes = 0;
  let torn: JournalRead['torn'] = null;
  for (let i = 0; i < parts.length; i++) {
    const line = parts[i] ?? '';
    const isLastComplete = endsClean && i === parts.length - 1;
    try {
      events.push(parseLine(displayPath, line, i + 1));
    } catch (err) {
      // Only the very last line may be torn; anything earlier is corruption.
      if (isLastComplete && !isCompleteJson(line)) {
        torn = { line: i + 1, bytes: Buffer.byteLength(line) + 1 };
        break;
      }
      throw err;
    }
    lines.push(line);
    goodBytes += Buffer.byteLength(line) + 1;
  }
  if (!endsClean && last !== '') torn = { line: parts.length + 1, bytes: bytes.length - goodBytes };
  return { events, lines, goodBytes, torn };
}

/**
 * Strict UTF-8 without NUL, except in an unterminated last line: a crash mid-append may leave a
 * cut multi-byte character or a zero-filled tail there, which is a torn line like any other.
 */
function decodeJournal(bytes: Buffer, displayPath: string): string {
  const p = textProblem(bytes);
  if (p === null) return new TextDecoder('utf-8').decode(bytes);
  const lastNl = bytes.lastIndexOf(0x0a);
  if (p.offset > lastNl && bytes[bytes.length - 1] !== 0x0a) {
    const head = bytes.subarray(0, lastNl + 1);
    return `${decodeStrict(head, displayPath)}${TORN_MARK}`;
  }
  throw new ValidationError(displayPath, `line ${p.line}`, p.problem);
}

/** Stands in for an undecodable torn tail: it is no JSON, so the line is reported torn. */
const TORN_MARK = '\u0000torn';

function isCompleteJson(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

/** Check seq numbering and the prev-hash chain. */
export function verifyChain(read: JournalRead): ChainProblem[] {
  const problems: ChainProblem[] = [];
  let prevHash: string | null = null;
  read.events.forEach((e, i) => {
    if (e.seq !== i + 1) problems.push({ line: i + 1, problem: `seq is ${e.seq}, expected ${i + 1}` });
    if (e.prev !== prevHash) problems.push({ line: i + 1, problem: `prev hash does not match line ${i}` });
    prevHash = sha256Text(read.lines[i] ?? '');
  });
  return problems;
}

/**
 * Append events after the last good line (cutting a torn tail first). Returns the full events.
 * The caller holds the run's writer lock. `transform` redacts the serialized line.
 */
export function appendEvents(
  file: string,
  read: JournalRead,
  bodies: readonly EventBody[],
  opts: { now: () => Date; transform: (line: string) => string; fsync?: boolean },
): JournalEvent[] {
  if (read.torn !== null) fs.truncateSync(file, read.goodBytes);
  let prev = read.lines.length > 0 ? sha256Text(read.lines[read.lines.length - 1] ?? '') : null;
  let seq = read.events.length;
  const written: JournalEvent[] = [];
  let chunk = '';
  for (const body of bodies) {
    seq += 1;
    const event = { schema_version: 1 as const, seq, ts: opts.now().toISOString(), prev, ...body } as JournalEvent;
    const raw = JSON.stringify(event);
    const line = opts.transform(raw);
    // The bodies are typed and already redacted, so the line is normally the event itself. If the
    // line-level redaction still changed something, keep in memory exactly what was written.
    written.push(line === raw ? event : (JournalEventSchema.parse(JSON.parse(line)) as JournalEvent));
    read.lines.push(line);
    prev = sha256Text(line);
    chunk += `${line}\n`;
  }
  // The first write replaces the file atomically (temp + rename): a kill mid-write leaves no
  // journal at all rather than an empty or torn one beside a missing RUN.json.
  if (chunk !== '' && read.goodBytes === 0) writeFileAtomicSync(file, chunk, { fsync: opts.fsync ?? true });
  else if (chunk !== '') appendLineSync(file, chunk, { fsync: opts.fsync ?? true });
  read.events.push(...written);
  read.goodBytes += Buffer.byteLength(chunk);
  read.torn = null;
  return written;
}
