/**
 * sha256 of a dep or out: a file's bytes; a directory's sorted listing of (path, sha256); null when
 * missing. A `Hasher` remembers what it hashed, keyed by the file's stat (device, inode, size,
 * mtime and ctime to the nanosecond), and can be given a saved memory (hash-cache.ts), so an
 * unchanged batch does not read its files again.
 *
 * The racy-file rule (git's "racily clean" index entries): a hash is reused only when the file had
 * last changed at least RACY_MS before it was hashed. A write in the same clock tick as the one
 * before it can leave size, mtime and ctime all unchanged; a file that changed that close to its
 * hashing is therefore hashed again next time, and remembered for good only once it has settled.
 * Any later write moves ctime past the remembered one, which the kernel does not let a process
 * set back.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { SavedMemory } from './saved-memory.js';

/** Opened without blocking (a FIFO swapped in for a file must not hang runr); only regular files are hashed. */
const OPEN_FLAGS = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY;
/** A file changed less than this before it was hashed is hashed again (clock ticks, coarse timestamps, FAT's 2 s). */
export const RACY_MS = 2_000;
const CHUNK = 1 << 16;
/** One read buffer for every synchronous hash in the process (a fresh 1 MiB buffer per small file was most of the cost). */
const buffer = Buffer.allocUnsafe(CHUNK);

export interface HashEntry {
  /** `dev:ino:size:mtimeNs:ctimeNs`. */
  stamp: string;
  sha256: string;
  /** Epoch ms when the bytes were read. */
  hashed_at: number;
}

/** A file's identity and change stamp: `dev:ino:size:mtimeNs:ctimeNs`. */
export function stampOf(st: fs.BigIntStats): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
}

/** Whether the file had last changed at least RACY_MS before `hashedAt` (then its stat shows any later change). */
export function settled(st: fs.BigIntStats, hashedAt: number): boolean {
  const changed = Number((st.mtimeNs > st.ctimeNs ? st.mtimeNs : st.ctimeNs) / 1_000_000n);
  return changed < hashedAt - RACY_MS;
}

/** sha256 of an open regular file's bytes, or null when it is not a regular file. */
function sha256Fd(fd: number): string | null {
  if (!fs.fstatSync(fd).isFile()) return null;
  const h = createHash('sha256');
  for (;;) {
    const n = fs.readSync(fd, buffer, 0, CHUNK, null);
    if (n === 0) break;
    h.update(n === CHUNK ? buffer : buffer.subarray(0, n));
  }
  return h.digest('hex');
}

export class Hasher extends SavedMemory<HashEntry> {
  reads = 0;
  reused = 0;

  constructor(private readonly now: () => number = Date.now) {
    super();
  }

  private file(abs: string, st: fs.BigIntStats): string | null {
    const stamp = stampOf(st);
    const e = this.memory.get(abs);
    if (e !== undefined && e.stamp === stamp && settled(st, e.hashed_at)) {
      this.reused++;
      return e.sha256;
    }
    const hashedAt = this.now();
    let fd: number;
    try {
      fd = fs.openSync(abs, OPEN_FLAGS);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null; // removed since the stat
      throw err;
    }
    let sha: string | null;
    let after: fs.BigIntStats;
    try {
      sha = sha256Fd(fd);
      after = fs.fstatSync(fd, { bigint: true });
    } finally {
      fs.closeSync(fd);
    }
    this.reads++;
    if (sha === null) return null;
    // Remember it under the stat taken after reading: if the file changed while it was read, the
    // stamp differs from the next stat and the entry is never used.
    if (stampOf(after) === stamp) {
      this.memory.set(abs, { stamp, sha256: sha, hashed_at: hashedAt });
      this.changed = true;
    } else if (this.memory.delete(abs)) this.changed = true;
    return sha;
  }

  /** sha256 of a file, or of a directory's sorted listing of (relative path, sha256); null when missing. */
  hashPath(abs: string): string | null {
    let st: fs.BigIntStats;
    try {
      st = fs.statSync(abs, { bigint: true });
    } catch {
      return null;
    }
    if (st.isFile()) return this.file(abs, st);
    if (!st.isDirectory()) return null;
    const h = createHash('sha256');
    const walk = (dir: string, rel: string) => {
      for (const name of fs.readdirSync(dir).sort()) {
        if (name.startsWith('.runr') || name.endsWith('.tmp')) continue;
        const a = path.join(dir, name);
        const r = rel === '' ? name : `${rel}/${name}`;
        const s = fs.statSync(a, { bigint: true });
        if (s.isDirectory()) walk(a, r);
        else if (s.isFile()) h.update(`${r}\0${this.file(a, s) ?? ''}\n`);
      }
    };
    walk(abs, '');
    return h.digest('hex');
  }

  /** Each repository-relative path → its sha256 (null: missing). */
  hashAll(repo: string, rels: readonly string[]): Record<string, string | null> {
    const out: Record<string, string | null> = {};
    for (const r of rels) out[r] = this.hashPath(path.join(repo, r));
    return out;
  }
}
