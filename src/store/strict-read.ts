/**
 * The strict reader (issue 9): every file runr reads as input or record goes through here.
 *  - the path is checked first: a NUL in it, a symlink loop, a directory, a FIFO, a socket or a
 *    device is a one-line error naming the file; nothing is opened that could block (a FIFO is
 *    refused before it is opened, and the open itself is non-blocking in case it was swapped in:
 *    then its read fails and is refused by name);
 *  - files larger than MAX_READ_BYTES are refused (a 50 MB "contract" is a mistake, not input);
 *  - text is decoded strictly (`TextDecoder('utf-8', {fatal: true})`) and a NUL byte is refused,
 *    each with its line and byte offset;
 *  - JSON nested deeper than MAX_JSON_DEPTH is refused before it is parsed, so neither the parser
 *    nor an error formatter can overflow the stack.
 * Errors are ValidationError(file, field, problem) so a caller can re-file them under its own field.
 */
import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import { UserError, ValidationError } from '../core/errors.js';

/** Largest file runr reads (journals of long task runs included). */
export const MAX_READ_BYTES = 32 * 1024 * 1024;
/** Deepest JSON nesting runr parses; its own records nest less than 10 deep. */
export const MAX_JSON_DEPTH = 256;

const FILE = '(file)';

export interface StrictReadOptions {
  /** Size cap in bytes (default MAX_READ_BYTES). */
  maxBytes?: number;
}

/** A NUL in a path string would make every fs call throw ERR_INVALID_ARG_VALUE: refuse it by name. */
export function refuseNulInPath(p: string, display: string, field = FILE): void {
  const at = p.indexOf('\0');
  if (at >= 0) throw new ValidationError(display, field, `the path contains a NUL character at offset ${Buffer.byteLength(p.slice(0, at))}`);
}

/** Does anything exist at `abs` (a dangling or looping symlink counts: reading it says what is wrong)? */
export function pathPresent(abs: string): boolean {
  if (abs.includes('\0')) return true; // the read names the problem
  try {
    fs.lstatSync(abs);
    return true;
  } catch {
    return false;
  }
}

function kindProblem(st: fs.Stats): string | null {
  if (st.isFile()) return null;
  if (st.isDirectory()) return 'is a directory, expected a file';
  if (st.isFIFO()) return 'is a FIFO (named pipe), expected a regular file; not read';
  if (st.isSocket()) return 'is a socket, expected a regular file';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'is a device, expected a regular file';
  return 'is not a regular file';
}

function errnoProblem(err: unknown): string | null {
  switch ((err as NodeJS.ErrnoException).code) {
    case 'ELOOP':
      return 'is a symlink loop (too many levels of symbolic links)';
    case 'EISDIR':
      return 'is a directory, expected a file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'cannot be read: a parent of the path is not a directory';
    case 'ENAMETOOLONG':
      return 'the path is too long';
    case 'ENXIO':
      return 'is not a regular file';
    default:
      return null;
  }
}

/** A path inside the repository whose real path (symlinks resolved) leaves it is refused. */
export function refuseOutsideRoot(root: string, abs: string, display: string): void {
  let real: string;
  let realRoot: string;
  try {
    real = fs.realpathSync(abs);
    realRoot = fs.realpathSync(root);
  } catch {
    return; // missing or a loop: the read says so
  }
  const rel = path.relative(realRoot, real);
  if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) throw new ValidationError(display, FILE, 'is a symlink that resolves outside the repository; not read');
}

const mb = (n: number) => `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;

/**
 * The bytes of a regular file, or null when nothing is there (ENOENT). Never blocks, never follows
 * a loop, never reads more than the cap.
 */
export function readStrictBytesOrNull(abs: string, display: string, opts: StrictReadOptions = {}): Buffer | null {
  refuseNulInPath(abs, display);
  const cap = opts.maxBytes ?? MAX_READ_BYTES;
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    const p = errnoProblem(err);
    if (p !== null) throw new ValidationError(display, FILE, p);
    throw err;
  }
  const kind = kindProblem(st);
  if (kind !== null) throw new ValidationError(display, FILE, kind);
  if (st.size > cap) throw new ValidationError(display, FILE, `is ${mb(st.size)}, larger than the ${mb(cap)} runr reads`);
  // Non-blocking, in case a FIFO was swapped in since the stat: its read fails (EAGAIN), as a
  // directory's does (EISDIR); either is refused by name below. No fstat: the stat above decided.
  let fd: number;
  try {
    fd = fs.openSync(abs, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    const p = errnoProblem(err);
    if (p !== null) throw new ValidationError(display, FILE, p);
    throw err;
  }
  try {
    return readAll(fd, st.size, cap, display);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Everything on `fd`, up to the cap: one read for a file of the size the stat said (a short read
 * of a regular file is its end); a file that grew since is read on in 64 KB steps.
 */
function readAll(fd: number, size: number, cap: number, display: string): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(total === 0 ? size + 1 : 65536, cap + 1 - total));
    let n: number;
    try {
      n = fs.readSync(fd, chunk, 0, chunk.length, null);
    } catch (err) {
      const p = errnoProblem(err) ?? ((err as NodeJS.ErrnoException).code === 'EAGAIN' ? 'is not a regular file' : null);
      if (p !== null) throw new ValidationError(display, FILE, p);
      throw err;
    }
    if (n > 0) chunks.push(chunk.subarray(0, n));
    total += n;
    if (total > cap) throw new ValidationError(display, FILE, `is larger than the ${mb(cap)} runr reads`);
    if (n < chunk.length) break;
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total);
}

/**
 * A read-only descriptor of the regular file at `abs`, or null when nothing is there (ENOENT), for
 * readers that page through a file themselves (the manifest, its view cache). Opened non-blocking
 * (a FIFO never waits for a writer) and checked on the descriptor: a FIFO, a directory, a symlink
 * loop or a device is a ValidationError naming `display`. The caller closes the descriptor.
 */
export function openStrictOrNull(abs: string, display: string): number | null {
  refuseNulInPath(abs, display);
  let fd: number;
  try {
    fd = fs.openSync(abs, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    const p = errnoProblem(err);
    if (p !== null) throw new ValidationError(display, FILE, p);
    throw err;
  }
  let kind: string | null;
  try {
    kind = kindProblem(fs.fstatSync(fd));
  } catch (err) {
    fs.closeSync(fd);
    throw err;
  }
  if (kind !== null) {
    fs.closeSync(fd);
    throw new ValidationError(display, FILE, kind);
  }
  return fd;
}

/** Like openStrictOrNull, for derived files a caller can do without: null on any problem as well. */
export function openRegularOrNull(abs: string): number | null {
  try {
    return openStrictOrNull(abs, abs);
  } catch {
    return null;
  }
}

/** Like readStrictBytesOrNull, but a missing file is an error (`<file>: file not found`). */
export function readStrictBytes(abs: string, display: string, opts: StrictReadOptions = {}): Buffer {
  const b = readStrictBytesOrNull(abs, display, opts);
  if (b === null) throw new UserError(`${display}: file not found`, 'file_not_found');
  return b;
}

/** Byte offset of the first byte that does not start or continue a valid UTF-8 sequence, or -1. */
export function firstInvalidUtf8(buf: Uint8Array): number {
  // The native check answers the usual case (valid) at memory speed; the scan below finds the offset.
  if (isUtf8(buf)) return -1;
  let i = 0;
  const n = buf.length;
  while (i < n) {
    const b = buf[i] ?? 0;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

function lineAt(buf: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < buf.length; i++) if (buf[i] === 0x0a) line++;
  return line;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

export interface TextProblem {
  offset: number;
  line: number;
  problem: string;
}

/** The first reason `buf` is not strict text (invalid UTF-8 or a NUL byte), or null. */
export function textProblem(buf: Uint8Array): TextProblem | null {
  const bad = firstInvalidUtf8(buf);
  const nul = buf.indexOf(0);
  if (bad < 0 && nul < 0) return null;
  if (bad >= 0 && (nul < 0 || bad < nul)) {
    const byte = (buf[bad] ?? 0).toString(16).padStart(2, '0');
    return { offset: bad, line: lineAt(buf, bad), problem: `not valid UTF-8 (byte 0x${byte} at offset ${bad})` };
  }
  return { offset: nul, line: lineAt(buf, nul), problem: `contains a NUL byte at offset ${nul}` };
}

/** Decode strictly; invalid UTF-8 or a NUL byte is an error naming the line and the byte offset. */
export function decodeStrict(buf: Uint8Array, display: string): string {
  const p = textProblem(buf);
  if (p !== null) throw new ValidationError(display, `line ${p.line}`, p.problem);
  return decoder.decode(buf);
}

/** Read a text file strictly (see the module comment). */
export function readStrictText(abs: string, display: string, opts: StrictReadOptions = {}): string {
  return decodeStrict(readStrictBytes(abs, display, opts), display);
}

/** Like readStrictText, or null when the file does not exist. */
export function readStrictTextOrNull(abs: string, display: string, opts: StrictReadOptions = {}): string | null {
  const b = readStrictBytesOrNull(abs, display, opts);
  return b === null ? null : decodeStrict(b, display);
}

/** Offset of the first `[`/`{` (outside strings) that nests deeper than `max`, or -1. */
export function jsonTooDeep(text: string, max = MAX_JSON_DEPTH): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return -1;
}

/** Whether `text` has at most `max` of `[` and `{` together (then it cannot nest deeper than `max`). */
function fewOpeners(text: string, max: number): boolean {
  let n = 0;
  for (const c of ['{', '[']) {
    for (let at = text.indexOf(c); at >= 0; at = text.indexOf(c, at + 1)) if (++n > max) return false;
  }
  return true;
}

/**
 * JSON.parse with the depth limit; errors name the file (and `field`, default the root). A text
 * with no more brackets than the limit (a run record has about a hundred) skips the character
 * scan; the count is native searches, the scan a loop over every character.
 */
export function parseStrictJson(text: string, display: string, field = ''): unknown {
  const deep = fewOpeners(text, MAX_JSON_DEPTH) ? -1 : jsonTooDeep(text);
  if (deep >= 0) throw new ValidationError(display, field, `nested deeper than ${MAX_JSON_DEPTH} levels (at character ${deep})`);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new ValidationError(display, field, `not valid JSON (${msg})`);
  }
}
