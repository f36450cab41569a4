/**
 * The entry lines of a manifest in the canonical layout (see serialize.ts), kept as the raw lines
 * of the file — `    {…},` and a last `    {…}` — so that one change to a 100,000-run manifest
 * splits the text once, edits an array, and joins it again: no entry is parsed or re-serialized.
 * The edits keep the commas right (every line but the last ends with one).
 */
import type { ManifestHeader } from './manifest.js';
import { compareIds } from './manifest.js';

const INDENT = '    ';
const LINE_START = '    {"run_id":';
const ID_START = '    {"run_id":"';
const FRAMEWORK_KEY = '","framework":"';

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

function parseHeader(lines: readonly string[]): ManifestHeader | null {
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
  return { version, last_updated: lastUpdated, total_runs: total, frameworks: frameworks as Record<string, number> };
}

/** run_id and framework from the start of a raw line; null when it does not start canonically. */
export function lineHead(line: string): { run_id: string; framework: string } | null {
  if (!line.startsWith(ID_START)) return null;
  const idEnd = line.indexOf('"', ID_START.length);
  if (idEnd < 0 || !line.startsWith(FRAMEWORK_KEY, idEnd)) return headByParsing(line);
  const fwStart = idEnd + FRAMEWORK_KEY.length;
  const fwEnd = line.indexOf('"', fwStart);
  // A backslash means escapes in the id or framework: let JSON.parse decode them.
  if (fwEnd < 0 || line.lastIndexOf('\\', fwEnd) >= 0) return headByParsing(line);
  return { run_id: line.slice(ID_START.length, idEnd), framework: line.slice(fwStart, fwEnd) };
}

function headByParsing(line: string): { run_id: string; framework: string } | null {
  try {
    const raw: unknown = JSON.parse(rowJson(line));
    if (raw === null || typeof raw !== 'object') return null;
    const { run_id, framework } = raw as Record<string, unknown>;
    return typeof run_id === 'string' && typeof framework === 'string' ? { run_id, framework } : null;
  } catch {
    return null;
  }
}

/** The entry's JSON text of a raw line (without the indent and the separating comma). */
export function rowJson(line: string): string {
  return line.endsWith(',') ? line.slice(INDENT.length, -1) : line.slice(INDENT.length);
}

export class RowLines {
  private constructor(
    readonly header: ManifestHeader,
    /** Raw entry lines, in run-id order. */
    readonly lines: string[],
  ) {}

  /** The rows of canonical text, after a structural check of every line; null when not canonical. */
  static parse(text: string): RowLines | null {
    const all = text.split('\n');
    const header = parseHeader(all);
    if (header === null) return null;
    let end = all.length;
    if (all[end - 1] === '') end--;
    if (all[end - 1] !== '}' || all[end - 2] !== '  ]') return null;
    const lines = all.slice(6, end - 2);
    const last = lines.length - 1;
    for (let i = 0; i <= last; i++) {
      const l = lines[i] as string;
      if (!l.startsWith(LINE_START) || !l.endsWith(i < last ? '},' : '}')) return null;
    }
    return new RowLines(header, lines);
  }

  /** Rows from entry JSON texts (already sorted by run id). */
  static fromRows(header: ManifestHeader, rows: readonly string[]): RowLines {
    const last = rows.length - 1;
    return new RowLines(header, rows.map((r, i) => (i < last ? `${INDENT}${r},` : INDENT + r)));
  }

  get length(): number {
    return this.lines.length;
  }

  /**
   * Ids and frameworks of every line, or null when a line has no readable head or the ids are not
   * strictly increasing (a hand-edited file: the caller parses it instead).
   */
  heads(): { ids: string[]; frameworks: string[] } | null {
    const n = this.lines.length;
    const ids = new Array<string>(n);
    const frameworks = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      const h = lineHead(this.lines[i] as string);
      if (h === null || (i > 0 && compareIds(ids[i - 1] as string, h.run_id) >= 0)) return null;
      ids[i] = h.run_id;
      frameworks[i] = h.framework;
    }
    return { ids, frameworks };
  }

  /** Put `row` (an entry's JSON) at index `at`: replace when `replace`, else insert. */
  put(at: number, row: string, replace: boolean): void {
    const lines = this.lines;
    const isLast = replace ? at === lines.length - 1 : at === lines.length;
    if (!replace && isLast && at > 0) lines[at - 1] = `${lines[at - 1] as string},`;
    const line = isLast ? INDENT + row : `${INDENT}${row},`;
    if (replace) lines[at] = line;
    else lines.splice(at, 0, line);
  }

  remove(at: number): void {
    const lines = this.lines;
    lines.splice(at, 1);
    const last = lines.length - 1;
    if (at > last && last >= 0) lines[last] = (lines[last] as string).slice(0, -1);
  }

  /** The entry JSON at `at`. */
  row(at: number): string {
    return rowJson(this.lines[at] as string);
  }

  render(header: ManifestHeader): string {
    const body = this.lines.length === 0 ? '' : `${this.lines.join('\n')}\n`;
    return `${renderHead(header)}${body}${TRAILER}`;
  }
}

/** The six header lines, through `  "runs": [` and its newline. */
export function renderHead(header: ManifestHeader): string {
  return [
    '{',
    `  "version": ${JSON.stringify(header.version)},`,
    `  "last_updated": ${JSON.stringify(header.last_updated)},`,
    `  "total_runs": ${header.total_runs},`,
    `  "frameworks": ${JSON.stringify(header.frameworks)},`,
    '  "runs": [',
    '',
  ].join('\n');
}

/** What follows the last entry line. */
export const TRAILER = '  ]\n}\n';

/** The header of canonical text, from its first six lines; null when they are not canonical. */
export function parseHead(headText: string): ManifestHeader | null {
  return parseHeader(headText.split('\n'));
}
