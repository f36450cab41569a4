/**
 * The patch log of the in-place manifest update (patch.ts): `<runs_dir>/.runs_manifest.json.wal`,
 * ignored by git (the `.runs_manifest.json.*` rule). It exists only while a writer patches the
 * manifest, or after a writer was killed in the middle of a patch.
 *
 * A patch replaces the file's header (the six lines before the entries, same byte length) and its
 * tail from byte `at` to the end; the bytes in between are never touched. The log holds the new
 * header, the new tail, a copy of the bytes just before `at` (the anchor: they tell that the file
 * is still the one the patch was made for) and the changed entries, checked by a SHA-256. So:
 * - a writer killed before the log is complete left the manifest untouched (the log is torn: it is
 *   dropped);
 * - a writer killed after it is complete left a patch that can be applied again, whatever part of
 *   it reached the file: the next writer applies it, and a reader folds it into what it read;
 * - if the manifest was replaced meanwhile (anchor mismatch), the entries are upserted again.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MANIFEST_FILE } from '../core/manifest/manifest.js';
import { fsyncDir } from '../store/atomic.js';

export interface Patch {
  /** Byte offset of the new tail. */
  at: number;
  /** The new header (the same length as the old one). */
  head: Buffer;
  /** The new bytes from `at` to the end of the file. */
  tail: Buffer;
  /** Up to 64 bytes before `at` (after the header), as they are in the file. */
  anchor: Buffer;
  /** The changed entries' JSON. */
  rows: string[];
}

export type WalState = { kind: 'none' } | { kind: 'torn' } | { kind: 'patch'; patch: Patch; sum: string };

export function walFile(runsDir: string): string {
  return path.join(runsDir, `.${MANIFEST_FILE}.wal`);
}

interface Meta {
  v: 1;
  at: number;
  head: number;
  tail: number;
  anchor: string;
  rows: string[];
}

function digest(meta: string, head: Buffer, tail: Buffer): string {
  return createHash('sha256').update(meta).update(head).update(tail).digest('hex');
}

export function encodePatch(p: Patch): Buffer {
  const meta: Meta = { v: 1, at: p.at, head: p.head.length, tail: p.tail.length, anchor: p.anchor.toString('base64'), rows: p.rows };
  const text = JSON.stringify(meta);
  return Buffer.concat([Buffer.from(`${text}\n${digest(text, p.head, p.tail)}\n`), p.head, p.tail]);
}

function isMeta(x: unknown): x is Meta {
  if (x === null || typeof x !== 'object') return false;
  const m = x as Record<string, unknown>;
  return (
    m.v === 1 &&
    Number.isSafeInteger(m.at) &&
    Number.isSafeInteger(m.head) &&
    Number.isSafeInteger(m.tail) &&
    typeof m.anchor === 'string' &&
    Array.isArray(m.rows) &&
    m.rows.every((r) => typeof r === 'string')
  );
}

export function decodePatch(buf: Buffer): WalState {
  const nl1 = buf.indexOf(0x0a);
  const nl2 = nl1 < 0 ? -1 : buf.indexOf(0x0a, nl1 + 1);
  if (nl2 < 0) return { kind: 'torn' };
  const text = buf.toString('utf8', 0, nl1);
  let meta: unknown;
  try {
    meta = JSON.parse(text);
  } catch {
    return { kind: 'torn' };
  }
  if (!isMeta(meta) || buf.length !== nl2 + 1 + meta.head + meta.tail) return { kind: 'torn' };
  const head = buf.subarray(nl2 + 1, nl2 + 1 + meta.head);
  const tail = buf.subarray(nl2 + 1 + meta.head);
  const sum = buf.toString('latin1', nl1 + 1, nl2);
  if (digest(text, head, tail) !== sum) return { kind: 'torn' };
  return { kind: 'patch', sum, patch: { at: meta.at, head, tail, anchor: Buffer.from(meta.anchor, 'base64'), rows: meta.rows } };
}

export function readWal(runsDir: string): WalState {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(walFile(runsDir));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    throw err;
  }
  return decodePatch(buf);
}

/** Write the log before the manifest is touched; with fsync, it is durable first. */
export function writeWal(runsDir: string, p: Patch, fsync: boolean): void {
  const fd = fs.openSync(walFile(runsDir), 'w', 0o644);
  try {
    fs.writeFileSync(fd, encodePatch(p));
    if (fsync) fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  if (fsync) fsyncDir(runsDir);
}

export function clearWal(runsDir: string): void {
  fs.rmSync(walFile(runsDir), { force: true });
}

function readAt(fd: number, pos: number, len: number): Buffer {
  const buf = Buffer.alloc(Math.max(0, len));
  let got = 0;
  while (got < buf.length) {
    const n = fs.readSync(fd, buf, got, buf.length - got, pos + got);
    if (n === 0) break;
    got += n;
  }
  return buf.subarray(0, got);
}

function writeAt(fd: number, buf: Buffer, pos: number): void {
  let done = 0;
  while (done < buf.length) done += fs.writeSync(fd, buf, done, buf.length - done, pos + done);
}

/** Whether `bytes` (a whole file) is the file the patch was made for. */
function anchorsIn(bytes: { length: number; at: (pos: number, len: number) => Buffer }, p: Patch): boolean {
  if (p.at < p.head.length || bytes.length < p.at) return false;
  if (bytes.at(p.head.length - 1, 1)[0] !== 0x0a) return false;
  return bytes.at(p.at - p.anchor.length, p.anchor.length).equals(p.anchor);
}

/**
 * Apply the patch to the file (again: it is idempotent). The tail goes first, padded with spaces
 * to the old length when it is shorter, then the file is cut, then the header is written: between
 * any two of these steps the file is valid JSON with every entry. Returns false, writing nothing,
 * when the file is not the one the patch was made for.
 */
export function applyPatch(file: string, p: Patch, fsync: boolean): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r+');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  try {
    const size = fs.fstatSync(fd).size;
    if (!anchorsIn({ length: size, at: (pos, len) => readAt(fd, pos, len) }, p)) return false;
    const end = p.at + p.tail.length;
    const tail = size > end ? Buffer.concat([p.tail, Buffer.alloc(size - end, 0x20)]) : p.tail;
    writeAt(fd, tail, p.at);
    if (size > end) fs.ftruncateSync(fd, end);
    writeAt(fd, p.head, 0);
    if (fsync) fs.fsyncSync(fd);
    return true;
  } finally {
    fs.closeSync(fd);
  }
}

/** What the file reads as once the patch is applied; null when it is not the patch's file. */
export function foldPatch(bytes: Buffer, p: Patch): Buffer | null {
  if (!anchorsIn({ length: bytes.length, at: (pos, len) => bytes.subarray(pos, pos + len) }, p)) return null;
  return Buffer.concat([p.head, bytes.subarray(p.head.length, p.at), p.tail]);
}
