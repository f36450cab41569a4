/**
 * RFC 4180 CSV, small and strict: a field is quoted when it holds a comma, a quote, CR or LF (or
 * leading/trailing spaces), quotes are doubled. The reader returns rows with the line each starts
 * on, and says where a malformed record is, instead of guessing.
 */

export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvRow(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\n`;
}

export interface CsvRecord {
  /** 1-based line where the record starts. */
  line: number;
  fields: string[];
}

export type CsvParse = { ok: true; records: CsvRecord[] } | { ok: false; line: number; problem: string };

export function parseCsv(text: string): CsvParse {
  const records: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) return { ok: false, line: start, problem: 'unterminated quoted field' };
          const c = text[i];
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          field += c;
          i++;
        }
        const next = text[i];
        if (i < n && next !== ',' && next !== '\n' && next !== '\r') return { ok: false, line, problem: 'characters after a closing quote' };
      } else {
        while (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          if (text[i] === '"') return { ok: false, line, problem: 'a quote inside an unquoted field' };
          field += text[i];
          i++;
        }
      }
      fields.push(field);
      if (text[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    if (text[i] === '\r') i++;
    if (i < n && text[i] !== '\n') return { ok: false, line, problem: 'a bare carriage return' };
    if (text[i] === '\n') {
      i++;
      line++;
    }
    records.push({ line: start, fields });
  }
  return { ok: true, records };
}
