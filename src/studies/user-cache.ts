/**
 * runr's cache directory for derived data that only saves time (bin/runr.js keeps the V8 code
 * cache there too): `$RUNR_CACHE_DIR`, else `$XDG_CACHE_HOME/runr`, else `~/.cache/runr`;
 * `RUNR_CACHE_DIR=off` turns every cache off. Nothing in it is ever needed: a missing, torn or
 * foreign file is ignored, and a directory that cannot be written only costs speed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomicSync } from '../store/atomic.js';
import { readStrictTextOrNull } from '../store/strict-read.js';

/** `<cache dir>/<sub>`, or null when caching is off. */
export function userCacheDir(env: NodeJS.ProcessEnv, sub: string): string | null {
  const configured = env.RUNR_CACHE_DIR;
  if (configured === 'off') return null;
  const base = configured !== undefined && configured !== '' ? configured : path.join(env.XDG_CACHE_HOME !== undefined && env.XDG_CACHE_HOME !== '' ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache'), 'runr');
  return path.join(base, sub);
}

/** The file's text, or null (missing, unreadable, not a regular file, not UTF-8: ignored like any unusable cache). */
export function readCacheFile(file: string): string | null {
  try {
    return readStrictTextOrNull(file, file);
  } catch {
    return null;
  }
}

/** Replace `file` atomically (no flush: a lost cache is rebuilt); false when it cannot be written. */
export function writeCacheFile(file: string, text: string): boolean {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileAtomicSync(file, text, { fsync: false, mode: 0o600 });
    return true;
  } catch {
    return false;
  }
}

/** Remove files in `dir` not used for `maxAgeMs` (their mtime: each use that matters rewrites them). */
export function pruneCacheDir(dir: string, maxAgeMs: number, now: number): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) {
    const f = path.join(dir, n);
    try {
      if (now - fs.statSync(f).mtimeMs > maxAgeMs) fs.rmSync(f, { force: true });
    } catch {
      // gone already, or not ours to remove
    }
  }
}
