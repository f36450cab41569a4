/**
 * The manifest's text form: the header as in the original (indent 2), then one entry per line in
 * run-id order, so `git diff` shows one line per changed run:
 *
 *   {
 *     "version": "1.0",
 *     "last_updated": "2026-01-21T02:43:05.195Z",
 *     "total_runs": 2,
 *     "frameworks": {"runr":2},
 *     "runs": [
 *       {"run_id":"run_…","framework":"runr",…},
 *       {"run_id":"run_…","framework":"runr",…}
 *     ]
 *   }
 *
 * `splitCanonical` reads this exact layout line by line without parsing every entry, which is
 * what makes one update in a 100,000-run manifest cheap. Anything else is read as plain JSON.
 */
import type { ManifestEntry } from './entry.js';
import { ENTRY_KEYS } from './entry.js';
import type { Manifest, ManifestHeader } from './manifest.js';

const INDENT = '    ';

/** The entry's JSON with keys in the canonical order (extras after runr's). */
export function entryRow(e: ManifestEntry): string {
  const ordered: Record<string, unknown> = {};
  for (const k of ENTRY_KEYS) ordered[k] = e[k];
  for (const k of Object.keys(e)) if (!(k in ordered)) ordered[k] = e[k];
  return JSON.stringify(ordered);
}

export function renderManifest(header: ManifestHeader, rows: readonly string[]): string {
  const out: string[] = [
    '{',
    `  "version": ${JSON.stringify(header.version)},`,
    `  "last_updated": ${JSON.stringify(header.last_updated)},`,
    `  "total_runs": ${header.total_runs},`,
    `  "frameworks": ${JSON.stringify(header.frameworks)},`,
    '  "runs": [',
  ];
  const last = rows.length - 1;
  for (let i = 0; i < rows.length; i++) out.push(i === last ? INDENT + rows[i] : `${INDENT}${rows[i]},`);
  out.push('  ]', '}', '');
  return out.join('\n');
}

export function serializeManifest(m: Manifest): string {
  return renderManifest(m, m.runs.map(entryRow));
}

export interface CanonicalDoc {
  header: ManifestHeader;
  /** Entry JSON texts, without indentation or separating commas. */
  rows: string[];
}

const HEADER_KEYS = ['version', 'last_updated', 'total_runs', 'frameworks'] as const;

function headerValue(line: string | undefined, key: string): { ok: true; value: unknown } | { ok: false } {
  const prefix = `  "${key}": `;
  if (line === undefined || !line.startsWith(prefix) || !line.endsWith(',')) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(line.slice(prefix.length, -1)) as unknown };
  } catch {
    return { ok: false };
  }
}

/** Split text in the canonical layout; null when it is not exactly that layout (then parse it as JSON). */
export function splitCanonical(text: string): CanonicalDoc | null {
  const lines = text.split('\n');
  if (lines[0] !== '{' || lines[5] !== '  "runs": [') return null;
  const values: unknown[] = [];
  for (let i = 0; i < HEADER_KEYS.length; i++) {
    const r = headerValue(lines[i + 1], HEADER_KEYS[i] as string);
    if (!r.ok) return null;
    values.push(r.value);
  }
  const [version, lastUpdated, total, frameworks] = values;
  if (typeof version !== 'string' || (lastUpdated !== null && typeof lastUpdated !== 'string') || typeof total !== 'number') return null;
  if (frameworks === null || typeof frameworks !== 'object' || Array.isArray(frameworks)) return null;
  // Trailer: "  ]", "}", and the final newline's empty string.
  let end = lines.length;
  if (lines[end - 1] === '') end--;
  if (lines[end - 1] !== '}' || lines[end - 2] !== '  ]') return null;
  const rows: string[] = [];
  const lastRow = end - 3;
  for (let i = 6; i <= lastRow; i++) {
    const l = lines[i] as string;
    if (!l.startsWith('    {"run_id":')) return null;
    if (i < lastRow) {
      if (!l.endsWith('},')) return null;
      rows.push(l.slice(4, -1));
    } else {
      if (!l.endsWith('}')) return null;
      rows.push(l.slice(4));
    }
  }
  return { header: { version, last_updated: lastUpdated, total_runs: total, frameworks: frameworks as Record<string, number> }, rows };
}

const ROW_HEAD_RE = /^\{"run_id":("(?:[^"\\]|\\.)*"),"framework":("(?:[^"\\]|\\.)*")/;

/** run_id and framework of a canonical row without parsing the whole row; null when the row is not canonical. */
export function rowHead(row: string): { run_id: string; framework: string } | null {
  const m = ROW_HEAD_RE.exec(row);
  if (m === null) return null;
  const idText = m[1] as string;
  const fwText = m[2] as string;
  // Without a backslash the JSON string is its own content.
  const run_id = idText.includes('\\') ? (JSON.parse(idText) as string) : idText.slice(1, -1);
  const framework = fwText.includes('\\') ? (JSON.parse(fwText) as string) : fwText.slice(1, -1);
  return { run_id, framework };
}
