/**
 * `registry/runs.csv`: one row per variant run, appended under a lock (so concurrent variants,
 * in one process or many, lose no row) with a single O_APPEND write and fsync. A malformed
 * registry is an error naming the line; it is never rewritten.
 */
import fs from 'node:fs';
import { ValidationError } from '../core/errors.js';
import { csvRow, parseCsv } from '../core/studies/csv.js';
import { VARIANT_OUTCOMES } from '../core/events/pipeline.js';
import type { VariantOutcome } from '../core/events/pipeline.js';
import { checkBatch, checkVariant } from '../core/studies/ids.js';
import { withLock } from '../store/lock.js';
import type { StudyLayout } from './layout.js';
import { REGISTRY_HEADER } from './layout.js';
import { readStrictText } from './text.js';

export interface RegistryRow {
  timestamp: string;
  study: string;
  batch_id: string;
  variant_id: string;
  scenario_rev: string;
  config_rev: string;
  seed: number;
  status: VariantOutcome;
  results_dir: string;
  notes: string;
  /** Line in the file (when read). */
  line?: number;
}

const COLUMNS = REGISTRY_HEADER.split(',');

export function readRegistry(layout: StudyLayout): RegistryRow[] {
  const display = layout.display(layout.registryCsv);
  const text = readStrictText(layout.registryCsv, display);
  const p = parseCsv(text);
  if (!p.ok) throw new ValidationError(display, `line ${p.line}`, p.problem);
  const [head, ...rows] = p.records;
  if (head === undefined || head.fields.join(',') !== REGISTRY_HEADER) throw new ValidationError(display, 'line 1', `expected the header ${REGISTRY_HEADER}`);
  if (text !== '' && !text.endsWith('\n')) throw new ValidationError(display, `line ${p.records[p.records.length - 1]?.line ?? 1}`, 'the last row has no line end (a torn append?)');
  return rows.map((r) => {
    const at = `line ${r.line}`;
    if (r.fields.length !== COLUMNS.length) throw new ValidationError(display, at, `expected ${COLUMNS.length} fields, got ${r.fields.length}`);
    const f = Object.fromEntries(COLUMNS.map((c, i) => [c, r.fields[i] ?? ''])) as Record<string, string>;
    const seed = Number(f.seed);
    if (!/^\d+$/.test(f.seed ?? '')) throw new ValidationError(display, `${at}: seed`, `expected an integer, got ${JSON.stringify(f.seed)}`);
    if (!(VARIANT_OUTCOMES as readonly string[]).includes(f.status ?? '') && f.status !== 'running') throw new ValidationError(display, `${at}: status`, `expected one of ${VARIANT_OUTCOMES.join(', ')}, got ${JSON.stringify(f.status)}`);
    if (f.study !== layout.study) throw new ValidationError(display, `${at}: study`, `expected ${layout.study}, got ${JSON.stringify(f.study)}`);
    if (checkBatch(f.batch_id ?? '') !== null) throw new ValidationError(display, `${at}: batch_id`, checkBatch(f.batch_id ?? '') ?? '');
    if (checkVariant(f.variant_id ?? '') !== null) throw new ValidationError(display, `${at}: variant_id`, checkVariant(f.variant_id ?? '') ?? '');
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(f.timestamp ?? '')) throw new ValidationError(display, `${at}: timestamp`, `expected a UTC time like 2026-02-13T22:05:00Z, got ${JSON.stringify(f.timestamp)}`);
    return {
      timestamp: f.timestamp ?? '',
      study: f.study ?? '',
      batch_id: f.batch_id ?? '',
      variant_id: f.variant_id ?? '',
      scenario_rev: f.scenario_rev ?? '',
      config_rev: f.config_rev ?? '',
      seed,
      status: f.status as VariantOutcome,
      results_dir: f.results_dir ?? '',
      notes: f.notes ?? '',
      line: r.line,
    };
  });
}

export function registryLine(row: RegistryRow): string {
  return csvRow([row.timestamp, row.study, row.batch_id, row.variant_id, row.scenario_rev, row.config_rev, String(row.seed), row.status, row.results_dir, row.notes]);
}

/** `2026-02-13T22:05:00Z` (the document's example has whole seconds). */
export function registryTime(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

export async function appendRegistryRow(layout: StudyLayout, row: RegistryRow, fsync = true): Promise<void> {
  const line = registryLine(row);
  await withLock(`${layout.registryCsv}.lock`, { waitMs: 60_000, purpose: 'registry append' }, () => {
    const fd = fs.openSync(layout.registryCsv, 'a');
    try {
      fs.writeSync(fd, line);
      if (fsync) fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  });
}

/**
 * The rows of another copy of `runs.csv` (a worker's, from a run branch) for one variant, as lines.
 * A malformed copy gives an error naming `display` and the line.
 */
export function variantRowsOf(text: string, display: string, batch: string, variant: string): string[] {
  const p = parseCsv(text);
  if (!p.ok) throw new ValidationError(display, `line ${p.line}`, p.problem);
  return p.records.slice(1).filter((r) => r.fields[2] === batch && r.fields[3] === variant && r.fields.length === COLUMNS.length).map((r) => csvRow(r.fields));
}

/** Append each line the registry does not hold yet (a sync run twice appends nothing), under its lock. */
export async function appendMissingRows(layout: StudyLayout, lines: readonly string[], fsync = true): Promise<number> {
  if (lines.length === 0) return 0;
  return withLock(`${layout.registryCsv}.lock`, { waitMs: 60_000, purpose: 'registry append' }, () => {
    const have = new Set(readRegistry(layout).map((r) => registryLine(r)));
    const add = lines.filter((l) => !have.has(l));
    if (add.length === 0) return 0;
    const fd = fs.openSync(layout.registryCsv, 'a');
    try {
      fs.writeSync(fd, add.join(''));
      if (fsync) fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    return add.length;
  });
}
