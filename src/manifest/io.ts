/**
 * Reading and writing the manifest file. Writers either replace it by rename or patch its header
 * and tail in place with a patch log beside it (patch.ts, wal.ts); readers take no lock, so a read
 * is checked: the file must not change while it is read (inode, size, mtime and ctime in ns), and
 * a patch log present is folded into what was read (whatever part of the patch reached the file,
 * the result is the patched file). Reads are cached per process by that identity, not while a
 * patch log exists. Cached entries are frozen; callers must not mutate them.
 */
import { isAscii } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import type { Manifest } from '../core/manifest/manifest.js';
import { writeFileAtomicSync } from '../store/atomic.js';
import { openStrictOrNull } from '../store/strict-read.js';
import { freezeEntries, parseManifestText } from './parse.js';
import type { ResolvedOptions } from './options.js';
import { manifestLockFile } from './paths.js';
import { foldPatch, readWal, walFile } from './wal.js';

export type LoadResult = { kind: 'missing' } | { kind: 'ok'; manifest: Manifest } | { kind: 'corrupt'; problem: string };

const cache = new Map<string, { key: string; manifest: Manifest }>();

/**
 * The file's text. An all-ASCII file (the usual case: JSON.stringify escapes nothing else, but
 * keeps non-ASCII text as is) is decoded as latin1, which is several times faster than UTF-8 for
 * 40 MB and gives the same string.
 */
export function readManifestText(file: string): string | null {
  const buf = readManifestBytes(file);
  return buf === null ? null : decodeManifest(buf);
}

export function decodeManifest(buf: Buffer): string {
  return isAscii(buf) ? buf.toString('latin1') : buf.toString('utf8');
}

function stamp(st: fs.BigIntStats): string {
  return `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
}

/** The whole file, and whether nobody wrote it while it was read. */
function readOnce(file: string): { buf: Buffer; stable: boolean } | null {
  // Never opened blind: a FIFO, a directory or a symlink loop in its place is an error naming it.
  const fd = openStrictOrNull(file, path.relative(process.cwd(), file) || file);
  if (fd === null) return null;
  try {
    const before = fs.fstatSync(fd, { bigint: true });
    const buf = fs.readFileSync(fd);
    const after = fs.fstatSync(fd, { bigint: true });
    return { buf, stable: stamp(before) === stamp(after) && BigInt(buf.length) === after.size };
  } finally {
    fs.closeSync(fd);
  }
}

const pauseCell = new Int32Array(new SharedArrayBuffer(4));

/**
 * The manifest's bytes as the last complete write left them (see the header comment). A read that
 * overlapped a writer is done again; after many tries (a writer stuck on a loaded machine) the
 * last read is used as it is.
 */
export function readManifestBytes(file: string): Buffer | null {
  const dir = path.dirname(file);
  for (let attempt = 0; ; attempt++) {
    const before = readWal(dir);
    const r = readOnce(file);
    const after = readWal(dir);
    // No file: nothing to read (a log without its file is stale).
    if (r === null) return null;
    const last = attempt >= 200;
    if (r.stable || last) {
      if (after.kind === 'none' && (before.kind === 'none' || last)) return r.buf;
      // A torn log: its writer had not touched the file yet when the log was read after the file.
      if (after.kind === 'torn' && (before.kind !== 'patch' || last)) return r.buf;
      if (after.kind === 'patch' && (before.kind !== 'patch' || before.sum === after.sum || last)) return foldPatch(r.buf, after.patch) ?? r.buf;
    }
    Atomics.wait(pauseCell, 0, 0, Math.min(1 + attempt, 20));
  }
}

function identity(file: string): string | null {
  try {
    const st = fs.statSync(file, { bigint: true });
    // While a patch log exists the file may be mid-patch: never cached then.
    return fs.existsSync(walFile(path.dirname(file))) ? null : stamp(st);
  } catch {
    return null; // not there, or not statable (a symlink loop): the read says which
  }
}

/** After an in-place write by this process. */
export function forgetManifest(file: string): void {
  cache.delete(file);
}

export function loadManifest(file: string): LoadResult {
  const key = identity(file);
  const hit = cache.get(file);
  if (key !== null && hit !== undefined && hit.key === key) return { kind: 'ok', manifest: hit.manifest };
  const text = readManifestText(file);
  if (text === null) return { kind: 'missing' };
  const r = parseManifestText(text);
  if (!r.ok) return { kind: 'corrupt', problem: r.problem };
  const manifest = freezeEntries(r.manifest);
  // The identity may have changed between stat and read; only cache when it did not.
  if (key !== null && identity(file) === key) cache.set(file, { key, manifest });
  return { kind: 'ok', manifest };
}

export function writeManifestText(file: string, text: string | Uint8Array, o: Pick<ResolvedOptions, 'fsync'>): void {
  cache.delete(file);
  writeFileAtomicSync(file, text, { fsync: o.fsync });
}

/**
 * Run `fn` holding the manifest lock. A writer killed while holding it leaves a lock whose pid is
 * dead; the next writer on this host takes it over at once. The long stale time only matters for
 * holders on other hosts (shared filesystems).
 */
export async function withManifestLock<T>(o: ResolvedOptions, fn: () => T | Promise<T>): Promise<T> {
  fs.mkdirSync(o.runsDir, { recursive: true });
  // Loaded here, not at the top: readers (`runr find`) never lock.
  const { withLock } = await import('../store/lock.js');
  return withLock(manifestLockFile(o.runsDir), { waitMs: o.lockWaitMs, staleMs: 600_000, purpose: 'manifest' }, fn);
}
