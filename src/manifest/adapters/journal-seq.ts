/**
 * The `seq` of a journal's last complete line, read from its end (a rebuild's fast path needs no
 * more, and a long task run's journal is megabytes): a stat (a FIFO or anything else that is not a
 * regular file is never opened: the caller's slow path reports it), then one read of the last
 * 16 KB. The answer is the one `readTail` gives (store/record-files.ts), which reads the whole
 * file: `undefined` says "ask readTail" (a line longer than the window, or anything unusual).
 */
import fs from 'node:fs';
import { MAX_READ_BYTES } from '../../store/strict-read.js';

const WINDOW = 16 * 1024;

/** null: no journal (or an empty one); a number or null inside: the last line's seq. */
export function journalLastSeq(file: string): { lastSeq: number | null } | null | undefined {
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
  if (st === undefined) return null;
  if (!st.isFile() || st.size > MAX_READ_BYTES) return undefined; // readTail refuses it by name
  if (st.size === 0) return null;
  const len = Math.min(st.size, WINDOW);
  const buf = Buffer.allocUnsafe(len);
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY);
  } catch {
    return undefined;
  }
  let n: number;
  try {
    n = fs.readSync(fd, buf, 0, len, st.size - len);
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
  if (n !== len) return undefined;
  // As readTail: the last newline ends the last complete line; the one before it starts it.
  const end = buf[len - 1] === 0x0a ? len - 1 : buf.lastIndexOf(0x0a);
  if (end < 0) return len === st.size ? { lastSeq: null } : undefined;
  if (end === 0 && len === st.size) return { lastSeq: null };
  const before = end === 0 ? -1 : buf.lastIndexOf(0x0a, end - 1);
  if (before < 0 && len !== st.size) return undefined; // the line starts before the window
  try {
    const last = JSON.parse(buf.toString('utf8', before + 1, end)) as { seq?: unknown };
    return { lastSeq: typeof last.seq === 'number' ? last.seq : null };
  } catch {
    return { lastSeq: null };
  }
}
