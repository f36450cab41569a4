/**
 * A batch's hash cache, in runr's cache directory (user-cache.ts): `studies/<sha256 of the batch
 * directory>.json`, keyed like the stat fields it holds (this machine, these paths), so an
 * unchanged batch reads no dep or out again. It only ever saves reading a file: an entry is used
 * when the file's stat still matches and the file had settled when it was hashed (hash-paths.ts).
 * It is not in the repository, so `batch run` on an unchanged batch changes nothing there.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import * as z from 'zod';
import type { HashEntry, Hasher } from './hash-paths.js';
import { pruneCacheDir, readCacheFile, userCacheDir, writeCacheFile } from './user-cache.js';

/** Cache files of batches not run for this long are removed (when another is saved). */
const KEEP_MS = 30 * 24 * 3600 * 1000;

const CacheSchema = z.object({
  schema_version: z.literal(1),
  batch_dir: z.string(),
  /** Absolute path → entry. */
  files: z.record(
    z.string(),
    z.object({
      stamp: z.string(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      hashed_at: z.number(),
    }),
  ),
});

export class HashCacheFile {
  private constructor(
    private readonly file: string | null,
    private readonly batchDir: string,
  ) {}

  static for(batchDirAbs: string, env: NodeJS.ProcessEnv): HashCacheFile {
    const dir = userCacheDir(env, 'studies');
    const key = createHash('sha256').update(batchDirAbs).digest('hex').slice(0, 32);
    return new HashCacheFile(dir === null ? null : path.join(dir, `${key}.json`), batchDirAbs);
  }

  /** Give the hasher what was saved (nothing when the cache is off, missing or not usable). */
  load(hasher: Hasher): void {
    if (this.file === null) return;
    const text = readCacheFile(this.file);
    if (text === null) return;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return;
    }
    const r = CacheSchema.safeParse(raw);
    if (!r.success || r.data.batch_dir !== this.batchDir) return;
    hasher.remember(Object.entries(r.data.files) as Array<[string, HashEntry]>);
  }

  /** Save every entry the hasher holds, when it hashed anything anew. */
  save(hasher: Hasher, now: number): void {
    if (this.file === null || !hasher.dirty) return;
    const files: Record<string, HashEntry> = Object.fromEntries(hasher.entries());
    if (writeCacheFile(this.file, `${JSON.stringify({ schema_version: 1, batch_dir: this.batchDir, files })}\n`)) pruneCacheDir(path.dirname(this.file), KEEP_MS, now);
  }
}
