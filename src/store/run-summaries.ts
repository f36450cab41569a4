/**
 * What `runr run list` needs of every run, read cheaply: the snapshot validated with a summary
 * schema (top-level fields and gate statuses; attempts are counted, not parsed), used only when it
 * is in step with the journal's last line. Anything else falls back to a full `load`.
 */
import path from 'node:path';
import * as z from 'zod';
import { lazySchema } from '../core/lazy-schema.js';
import { RunKindSchema, RunStatusSchema } from '../core/schemas/run.js';
import { readTail } from './record-files.js';
import type { RunStore } from './run-store.js';
import { parseStrictJson, readStrictText } from './strict-read.js';

export const RunSummarySchema = lazySchema(() => z.looseObject({
  run_id: z.string(),
  kind: RunKindSchema.optional(),
  workflow: z.looseObject({ name: z.string(), slug: z.string() }),
  status: RunStatusSchema,
  started_at: z.string(),
  finished_at: z.string().nullable(),
  gates: z.array(z.looseObject({ gate: z.string(), status: z.string(), attempts: z.array(z.unknown()) })),
  journal_seq: z.number().int().optional(),
}));
export type RunSummary = z.infer<typeof RunSummarySchema>;

export function summaryOf(store: RunStore, runId: string): RunSummary {
  const recordDir = store.recordDir(runId);
  const tail = readTail(path.join(recordDir, 'events.jsonl'));
  try {
    const raw = parseStrictJson(readStrictText(path.join(recordDir, 'RUN.json'), 'RUN.json'), 'RUN.json');
    const r = RunSummarySchema.safeParse(raw);
    const inStep = r.success && (tail === null ? r.data.journal_seq === undefined : tail.lastSeq !== null && r.data.journal_seq === tail.lastSeq);
    if (r.success && inStep) return r.data;
  } catch {
    // fall back to the full load below, which reports the problem precisely
  }
  return store.load(runId).run;
}
