/**
 * Output formats of `runr find`: table (aligned columns), json (an array), jsonl (one entry a
 * line), csv (RFC 4180, params/metrics/tags flattened to `params.<key>` columns), vertical (one
 * `field: value` block per run, for wide entries).
 */
import type { ManifestEntry } from '../../../core/manifest/entry.js';
import { ENTRY_KEYS } from '../../../core/manifest/entry.js';
import type { FieldRef } from '../../../core/query/fields.js';
import { TOP_FIELDS } from '../../../core/query/fields.js';
import { assertNever } from '../../../core/errors.js';
import type { Format } from './manifest-flags.js';

export interface Column {
  name: string;
  get: (e: ManifestEntry) => unknown;
}

const topColumn = (name: string): Column => ({ name, get: (TOP_FIELDS[name] as { get: (e: ManifestEntry) => unknown }).get });

export const TABLE_COLUMNS: readonly string[] = ['run_id', 'status', 'kind', 'workflow', 'framework', 'verification_status', 'started_at', 'duration_s'];

/** The default columns plus every other field the query or the order mentions. */
export function tableColumns(extra: readonly FieldRef[]): Column[] {
  const cols = TABLE_COLUMNS.map(topColumn);
  for (const f of extra) if (!cols.some((c) => c.name === f.name)) cols.push({ name: f.name, get: f.get });
  return cols;
}

export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Math.round(v * 1000) / 1000);
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

export function renderTable(entries: readonly ManifestEntry[], cols: readonly Column[]): string[] {
  const cells = entries.map((e) => cols.map((c) => cellText(c.get(e)).replace(/[\r\n\t]/g, ' ')));
  const widths = cols.map((c) => c.name.length);
  for (const r of cells) r.forEach((s, i) => (widths[i] = Math.max(widths[i] as number, s.length)));
  const line = (row: readonly string[]) => row.map((s, i) => (i === row.length - 1 ? s : s.padEnd(widths[i] as number))).join('  ').trimEnd();
  return [line(cols.map((c) => c.name)), ...cells.map(line)];
}

/** Entry fields in canonical order with params/metrics/tags expanded to `group.key`. */
export function flatten(e: ManifestEntry): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  const keys = [...ENTRY_KEYS, ...Object.keys(e).filter((k) => !ENTRY_KEYS.includes(k))];
  for (const k of keys) {
    const v = e[k];
    if ((k === 'params' || k === 'metrics' || k === 'tags') && v !== null && typeof v === 'object') {
      for (const [sub, sv] of Object.entries(v as Record<string, unknown>)) out.push([`${k}.${sub}`, sv]);
    } else out.push([k, v]);
  }
  return out;
}

export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function renderCsv(entries: readonly ManifestEntry[]): string[] {
  const rows = entries.map((e) => new Map(flatten(e)));
  const header: string[] = [];
  const seen = new Set<string>();
  const base = ENTRY_KEYS.filter((k) => k !== 'params' && k !== 'metrics' && k !== 'tags');
  for (const k of base) {
    header.push(k);
    seen.add(k);
  }
  const rest = new Set<string>();
  for (const r of rows) for (const k of r.keys()) if (!seen.has(k)) rest.add(k);
  header.push(...[...rest].sort());
  return [header.map(csvField).join(','), ...rows.map((r) => header.map((k) => csvField(cellText(r.get(k)))).join(','))];
}

export function renderVertical(entries: readonly ManifestEntry[]): string[] {
  const out: string[] = [];
  entries.forEach((e, i) => {
    const fields = flatten(e);
    const width = fields.reduce((w, [k]) => Math.max(w, k.length), 0);
    out.push(`*** ${i + 1}. ${e.run_id} ***`);
    for (const [k, v] of fields) out.push(`${k.padStart(width)}: ${cellText(v)}`);
  });
  return out;
}

export function renderEntries(format: Format, entries: readonly ManifestEntry[], extra: readonly FieldRef[]): string[] {
  switch (format) {
    case 'table':
      return renderTable(entries, tableColumns(extra));
    case 'json':
      return [JSON.stringify(entries, null, 2)];
    case 'jsonl':
      return entries.map((e) => JSON.stringify(e));
    case 'csv':
      return renderCsv(entries);
    case 'vertical':
      return renderVertical(entries);
    default:
      return assertNever(format, 'format');
  }
}
