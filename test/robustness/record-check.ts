/**
 * An independent checker of a run's record on disk (written from FORMATS.md, not from runr's code,
 * so it cannot share runr's bugs):
 *  - record/events.jsonl: every line JSON, `seq` = 1..n, `prev` = sha256 of the previous raw line
 *    (null on the first); with `allowTorn`, one unparsable last line is tolerated.
 *  - record/RUN.json parses; with `inStep`, its `journal_seq` is n.
 *  - with `inStep`, every attempt in RUN.json has `record/gates/<G>/attempt-<n>.json` equal to it
 *    (ignoring `schema_version`), and there is no attempt file RUN.json does not know.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export type JournalLine = Record<string, unknown> & { seq: unknown; prev: unknown };
export interface RunJson {
  run_id: string;
  journal_seq?: unknown;
  invocations: unknown[];
  gates: Array<{ gate: string; attempts: Array<Record<string, unknown> & { attempt: number }> }>;
  [key: string]: unknown;
}

export interface RecordCheck {
  events: JournalLine[];
  /** Raw bytes of an unparsable last line, or null. */
  torn: string | null;
  run: RunJson | null;
  problems: string[];
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Deep equality of JSON values, key order ignored. */
export function sameJson(a: unknown, b: unknown): boolean {
  const norm = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(norm);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : 1)).map(([k, x]) => [k, norm(x)]));
    return v;
  };
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

export function checkRecord(runDir: string, opts: { allowTorn?: boolean; inStep?: boolean } = {}): RecordCheck {
  const problems: string[] = [];
  const recordDir = path.join(runDir, 'record');
  const text = fs.readFileSync(path.join(recordDir, 'events.jsonl'), 'utf8');
  const lines = text.split('\n');
  const tail = lines.pop() ?? '';
  let torn: string | null = tail === '' ? null : tail;
  const events: JournalLine[] = [];
  let prev: string | null = null;
  lines.forEach((line, i) => {
    let e: JournalLine;
    try {
      e = JSON.parse(line) as JournalLine;
    } catch {
      if (i === lines.length - 1 && torn === null) torn = `${line}\n`;
      else problems.push(`events.jsonl line ${i + 1}: not JSON`);
      return;
    }
    if (e.seq !== i + 1) problems.push(`events.jsonl line ${i + 1}: seq ${String(e.seq)}`);
    if (e.prev !== prev) problems.push(`events.jsonl line ${i + 1}: prev hash does not chain`);
    prev = sha256(line);
    events.push(e);
  });
  if (torn !== null && opts.allowTorn !== true) problems.push(`events.jsonl: torn last line (${torn.length} bytes)`);

  let run: RunJson | null = null;
  try {
    run = JSON.parse(fs.readFileSync(path.join(recordDir, 'RUN.json'), 'utf8')) as RunJson;
  } catch (err) {
    if (opts.inStep === true) problems.push(`RUN.json: ${(err as Error).message}`);
  }
  if (opts.inStep === true && run !== null) {
    if (run.journal_seq !== events.length) problems.push(`RUN.json: journal_seq ${String(run.journal_seq)}, journal has ${events.length}`);
    const known = new Set<string>();
    for (const g of run.gates) {
      for (const a of g.attempts) {
        const rel = `gates/${g.gate}/attempt-${String(a.attempt)}.json`;
        known.add(rel);
        let onDisk: Record<string, unknown>;
        try {
          onDisk = JSON.parse(fs.readFileSync(path.join(recordDir, rel), 'utf8')) as Record<string, unknown>;
        } catch (err) {
          problems.push(`${rel}: ${(err as Error).message}`);
          continue;
        }
        const { schema_version: _v, ...rest } = onDisk;
        if (!sameJson(rest, a)) problems.push(`${rel}: differs from RUN.json`);
      }
    }
    const gatesDir = path.join(recordDir, 'gates');
    if (fs.existsSync(gatesDir)) {
      for (const g of fs.readdirSync(gatesDir)) {
        for (const f of fs.readdirSync(path.join(gatesDir, g))) {
          if (/^attempt-\d+\.json$/.test(f) && !known.has(`gates/${g}/${f}`)) problems.push(`gates/${g}/${f}: not in RUN.json`);
        }
      }
    }
  }
  return { events, torn, run, problems };
}

/** Temp files left by interrupted atomic writes (`.<name>.<pid>.<hex>.tmp`) under a directory. */
export function leftoverTempFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const ent of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, ent.name);
      if (ent.isDirectory()) walk(p);
      else if (ent.name.endsWith('.tmp')) out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out;
}
