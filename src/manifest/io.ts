/**
 * Reading and writing the manifest file. Reads are cached per process by file identity (inode,
 * size, mtime): every write replaces the file by rename, so a changed manifest is always a new
 * inode and a cached parse is never stale. Cached entries are frozen; callers must not mutate them.
 */
import { isAscii } from 'node:buffer';
import fs from 'node:fs';
import type { Manifest } from '../core/manifest/manifest.js';
import { writeFileAtomicSync } from '../store/atomic.js';
import { freezeEntries, parseManifestText } from './parse.js';
import type { ResolvedOptions } from './options.js';
import { manifestLockFile } from './paths.js';

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

export function readManifestBytes(file: string): Buffer | null {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

function identity(file: string): string | null {
  try {
    const st = fs.statSync(file);
    return `${st.ino}:${st.size}:${st.mtimeMs}`;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export function loadManifest(file: string): LoadResult {
  const key = identity(file);
  if (key === null) return { kind: 'missing' };
  const hit = cache.get(file);
  if (hit !== undefined && hit.key === key) return { kind: 'ok', manifest: hit.manifest };
  const text = readManifestText(file);
  if (text === null) return { kind: 'missing' };
  const r = parseManifestText(text);
  if (!r.ok) return { kind: 'corrupt', problem: r.problem };
  const manifest = freezeEntries(r.manifest);
  // The identity may have changed between stat and read; only cache when it did not.
  if (identity(file) === key) cache.set(file, { key, manifest });
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
