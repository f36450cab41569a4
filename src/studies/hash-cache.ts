/**
 * A batch's cache, in runr's cache directory (user-cache.ts): `studies/<sha256 of the batch
 * directory>.json`, keyed like the stat fields it holds (this machine, these paths), so an
 * unchanged batch reads no dep or out again (`files`) and loads no variant's run record again
 * (`verdicts`). It only ever saves reading a file: a hash is used when the file's stat still matches
 * and the file had settled when it was hashed (hash-paths.ts), a verdict when its run's journal is
 * exactly as it was and the stage keys and output hashes are the same (state-memo.ts). It is read
 * in one go and checked against its schema; a torn or foreign file is ignored.
 * It is not in the repository, so `batch run` on an unchanged batch changes nothing there.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import * as z from 'zod';
import type { HashEntry, Hasher } from './hash-paths.js';
import type { StateMemo, VerdictEntry } from './state-memo.js';
import { pruneCacheDir, readCacheFile, userCacheDir, writeCacheFile } from './user-cache.js';

/** Cache files of batches not run for this long are removed (when another is saved). */
const KEEP_MS = 30 * 24 * 3600 * 1000;

const CacheSchema = z.object({
  schema_version: z.literal(2),
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
  /** Journal path → the up-to-date verdict found with it (state-memo.ts). */
  verdicts: z.record(
    z.string(),
    z.object({
      run_id: z.string(),
      stamp: z.string(),
      stat_at: z.number(),
      digest: z.string().regex(/^[0-9a-f]{64}$/),
      statuses: z.record(z.string(), z.enum(['PASS', 'WARN']).nullable()),
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

  /** Give the hasher and the state memo what was saved (nothing when the cache is off, missing or not usable). */
  load(hasher: Hasher, states: StateMemo): void {
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
    states.remember(Object.entries(r.data.verdicts));
  }

  /** Save every entry the hasher and the memo hold, when either learnt anything anew. */
  save(hasher: Hasher, states: StateMemo, now: number): void {
    if (this.file === null || (!hasher.dirty && !states.dirty)) return;
    const files: Record<string, HashEntry> = Object.fromEntries(hasher.entries());
    const verdicts: Record<string, VerdictEntry> = Object.fromEntries(states.entries());
    if (writeCacheFile(this.file, `${JSON.stringify({ schema_version: 2, batch_dir: this.batchDir, files, verdicts })}\n`)) pruneCacheDir(path.dirname(this.file), KEEP_MS, now);
  }
}
