/**
 * Atomic file replacement: write a temp file in the same directory, fsync it, rename it over the
 * target, then fsync the directory so the rename itself is durable. A crash at any instruction
 * leaves either the old or the new file, never a mix. (Hand-written rather than write-file-atomic:
 * its current major needs Node 22, and we also want the directory fsync.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export interface AtomicWriteOptions {
  /** fsync file and directory (default true). Benchmarks may turn this off to measure the cost. */
  fsync?: boolean;
  mode?: number;
}

export function tempSiblingName(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

export function writeFileAtomicSync(target: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): void {
  const doSync = opts.fsync !== false;
  const tmp = tempSiblingName(target);
  const fd = fs.openSync(tmp, 'wx', opts.mode ?? 0o644);
  try {
    fs.writeFileSync(fd, data);
    if (doSync) fs.fsyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  try {
    fs.renameSync(tmp, target);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  if (doSync) fsyncDir(path.dirname(target));
}

export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on directories; the rename is still atomic there.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** JSON with 2-space indent and a trailing newline, written atomically. */
export function writeJsonAtomicSync(target: string, value: unknown, opts: AtomicWriteOptions = {}): void {
  writeFileAtomicSync(target, `${JSON.stringify(value, null, 2)}\n`, opts);
}

/**
 * Append one line and flush it before returning (the journal's write-ahead guarantee).
 * fdatasync is enough for an append: it flushes the data and the file size, not the timestamps.
 */
export function appendLineSync(file: string, line: string, opts: AtomicWriteOptions = {}): void {
  const fd = fs.openSync(file, 'a', 0o644);
  try {
    fs.writeSync(fd, line.endsWith('\n') ? line : `${line}\n`);
    if (opts.fsync !== false) fs.fdatasyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Flush a file's data (what `appendLineSync` wrote unflushed) on the thread pool. */
export async function fdatasyncFile(file: string): Promise<void> {
  const h = await fs.promises.open(file, 'r+');
  try {
    await h.datasync();
  } finally {
    await h.close();
  }
}
