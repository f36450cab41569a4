/**
 * The view cache file: a derived, git-ignored file beside the manifest holding, for each run of the
 * all-runs listing (newest first), the rendered text of its view and the key of the record it was
 * rendered from (views/record-key.ts). Layout:
 *
 *   <data: the texts, back to back, in row order>
 *   <index: a JSON header line, then one line per row: run_id TAB key TAB flag TAB offset TAB length>
 *   <footer: "RUNRVIEWS1 <index offset, 15 digits> <index length, 15 digits>\n">
 *
 * flag `v`: a cached text; `x`: no text (a run whose view depends on more than its record, or
 * whose record did not load): rendered every time. The file is written whole to a temp file and
 * renamed over the old one, so a reader sees one complete file or the other; a file that does not
 * have this shape is ignored (and replaced by the next all-runs listing).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pidAlive } from '../../store/lock.js';
import { openRegularOrNull } from '../../store/strict-read.js';
import { z } from 'zod';

const MAGIC = 'RUNRVIEWS1 ';
const FOOTER_LEN = MAGIC.length + 15 + 1 + 15 + 1;
const WINDOW = 1 << 20;

const CacheHeaderSchema = z.object({
  /** What rendered the texts (runr version and view name): another one ignores the file. */
  renderer: z.string(),
  /** The manifest's identity when the order was taken (null: not from a manifest). */
  manifest: z.string().nullable(),
  matched: z.number(),
  total: z.number(),
});
export type CacheHeader = z.infer<typeof CacheHeaderSchema>;

export interface CacheRow {
  key: string;
  flag: 'v' | 'x';
  offset: number;
  length: number;
}

/** The directory of the view caches (matched by the runs directory's `.runs_manifest.json.*` ignore rule). */
export function viewsDir(runsDir: string): string {
  return path.join(runsDir, '.runs_manifest.json.views');
}

export function viewsFile(runsDir: string, name: string): string {
  return path.join(viewsDir(runsDir), name);
}

const pad = (n: number): string => String(n).padStart(15, '0');

/**
 * The index lines from `from` (each `id TAB key TAB flag TAB offset TAB length NL`), scanned with
 * indexOf rather than split (a third of the cost over 100,000 rows). Rows lie back to back, in order.
 */
function parseRows(text: string, from: number, dataEnd: number): { ids: string[]; rows: CacheRow[] } {
  const ids: string[] = [];
  const rows: CacheRow[] = [];
  let end = 0;
  for (let i = from; i < text.length; ) {
    const nl = text.indexOf('\n', i);
    const t1 = text.indexOf('\t', i);
    const t2 = text.indexOf('\t', t1 + 1);
    const t3 = t2 + 2;
    const t4 = text.indexOf('\t', t3 + 1);
    const t5 = text.indexOf('\t', t4 + 1);
    // Exactly five fields on the line, the third one character.
    if (t1 < 0 || t2 < 0 || t4 < 0 || t4 > nl || (t5 >= 0 && t5 < nl) || text.charCodeAt(t3) !== 9) throw new Error('row');
    const flag = text[t2 + 1];
    const offset = Number(text.slice(t3 + 1, t4));
    const length = Number(text.slice(t4 + 1, nl));
    if ((flag !== 'v' && flag !== 'x') || offset !== end || !(length >= 0) || offset + length > dataEnd) throw new Error('row');
    end = offset + length;
    ids.push(text.slice(i, t1));
    rows.push({ key: text.slice(t1 + 1, t2), flag, offset, length });
    i = nl + 1;
  }
  return { ids, rows };
}

/** An open cache file. */
export class ViewCache {
  private window: Buffer = Buffer.alloc(0);
  private windowStart = 0;
  private byId: Map<string, number> | null = null;

  private constructor(
    private readonly fd: number,
    readonly header: CacheHeader,
    readonly ids: string[],
    readonly rows: CacheRow[],
    private readonly dataEnd: number,
  ) {}

  /** The cache, or null when there is none usable (missing, another renderer, not this shape). */
  static open(file: string, renderer: string): ViewCache | null {
    // Not a regular file (a FIFO would block the open), or not there: callers fall back.
    const fd = openRegularOrNull(file);
    if (fd === null) return null;
    try {
      const size = fs.fstatSync(fd).size;
      if (size < FOOTER_LEN) throw new Error('short');
      const foot = Buffer.alloc(FOOTER_LEN);
      fs.readSync(fd, foot, 0, FOOTER_LEN, size - FOOTER_LEN);
      const m = /^RUNRVIEWS1 (\d{15}) (\d{15})\n$/.exec(foot.toString('latin1'));
      if (m === null) throw new Error('footer');
      const at = Number(m[1]);
      const len = Number(m[2]);
      if (at + len + FOOTER_LEN !== size) throw new Error('sizes');
      const buf = Buffer.allocUnsafe(len);
      if (fs.readSync(fd, buf, 0, len, at) !== len) throw new Error('short');
      const text = buf.toString('utf8');
      if (!text.endsWith('\n')) throw new Error('index');
      const first = text.indexOf('\n');
      const header = CacheHeaderSchema.parse(JSON.parse(text.slice(0, first)));
      if (header.renderer !== renderer) throw new Error('header');
      const { ids, rows } = parseRows(text, first + 1, at);
      return new ViewCache(fd, header, ids, rows, at);
    } catch {
      fs.closeSync(fd);
      return null;
    }
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  /** The row of `id` (for listings in another order than the cache's). */
  find(id: string): CacheRow | null {
    if (this.byId === null) {
      this.byId = new Map();
      for (let i = 0; i < this.ids.length; i++) this.byId.set(this.ids[i] as string, i);
    }
    const i = this.byId.get(id);
    return i === undefined ? null : (this.rows[i] as CacheRow);
  }

  /** A row's text bytes (read through a 1 MiB window: rows read in order cost one read per MiB). */
  bytes(row: CacheRow): Buffer {
    const end = row.offset + row.length;
    if (row.offset < this.windowStart || end > this.windowStart + this.window.length) {
      const len = Math.min(Math.max(WINDOW, row.length), this.dataEnd - row.offset);
      const buf = Buffer.allocUnsafe(len);
      let got = 0;
      while (got < len) {
        const r = fs.readSync(this.fd, buf, got, len - got, row.offset + got);
        if (r === 0) break;
        got += r;
      }
      this.window = buf.subarray(0, got);
      this.windowStart = row.offset;
      if (got < row.length) throw new Error('view cache: short read');
    }
    return this.window.subarray(row.offset - this.windowStart, end - this.windowStart);
  }

  /** The data bytes [0, end) (to carry rows over into a new file). */
  *dataRange(end: number): Generator<Buffer> {
    for (let p = 0; p < end; p += WINDOW) {
      const len = Math.min(WINDOW, end - p);
      const buf = Buffer.alloc(len);
      const r = fs.readSync(this.fd, buf, 0, len, p);
      if (r !== len) throw new Error('view cache: short read');
      yield buf;
    }
  }
}

/** A new cache file, written row by row into a temp file and renamed over the old one by `finish`. */
export class CacheWriter {
  private readonly fd: number;
  private readonly tmp: string;
  private readonly index: string[] = [];
  private pos = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    removeDeadTemps(path.dirname(file));
    this.tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    this.fd = fs.openSync(this.tmp, 'wx', 0o644);
  }

  private write(buf: Buffer): void {
    this.pending.push(buf);
    this.pendingBytes += buf.length;
    if (this.pendingBytes >= WINDOW) this.flush();
  }

  private flush(): void {
    if (this.pendingBytes === 0) return;
    const buf = this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending, this.pendingBytes);
    let done = 0;
    while (done < buf.length) done += fs.writeSync(this.fd, buf, done);
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** Raw data bytes already laid out as rows (the rows carried over from an old file). */
  carry(buf: Buffer): void {
    this.write(buf);
    this.pos += buf.length;
  }

  /** An index line for a carried-over row (its offset is unchanged). */
  carryRow(id: string, row: CacheRow): void {
    this.index.push(`${id}\t${row.key}\t${row.flag}\t${row.offset}\t${row.length}`);
  }

  add(id: string, key: string, text: Buffer | null): void {
    if (text === null) {
      this.index.push(`${id}\tnone\tx\t${this.pos}\t0`);
      return;
    }
    this.index.push(`${id}\t${key}\tv\t${this.pos}\t${text.length}`);
    this.write(text);
    this.pos += text.length;
  }

  finish(header: CacheHeader): void {
    try {
      const index = Buffer.from(`${JSON.stringify(header)}\n${this.index.join('\n')}${this.index.length > 0 ? '\n' : ''}`, 'utf8');
      this.write(index);
      this.write(Buffer.from(`${MAGIC}${pad(this.pos)} ${pad(index.length)}\n`, 'latin1'));
      this.flush();
      fs.closeSync(this.fd);
      fs.renameSync(this.tmp, this.file);
    } catch (err) {
      this.abandon();
      throw err;
    }
  }

  abandon(): void {
    try {
      fs.closeSync(this.fd);
    } catch {
      // already closed
    }
    fs.rmSync(this.tmp, { force: true });
  }
}

/** Temp files of writers killed mid-write (`<name>.<pid>.<hex>.tmp` whose pid is gone). */
function removeDeadTemps(dir: string): void {
  for (const name of fs.readdirSync(dir)) {
    const m = /\.(\d+)\.[0-9a-f]+\.tmp$/.exec(name);
    if (m !== null && Number(m[1]) !== process.pid && !pidAlive(Number(m[1]))) fs.rmSync(path.join(dir, name), { force: true });
  }
}
