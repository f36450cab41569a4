/**
 * Listings of every run served from a view cache (cache-file.ts): each run's rendered view is
 * reused while its record has not changed (record-key.ts: one stat per run), so `runr status --all
 * --json` and `runr run list --json` over 100,000 runs read one file instead of 100,000 records.
 * The order is the cache's while the manifest is the one it was taken from, else it is read from
 * the manifest again. Views are emitted one by one (nothing holds them all). The all-runs listing
 * writes a new cache file when a row changed (carrying the unchanged ones over); listings of a
 * subset only read it. A cache that cannot be written (a read-only directory) is simply not used.
 */
import type { CacheHeader, CacheRow } from './cache-file.js';
import { CacheWriter, viewsFile, ViewCache } from './cache-file.js';
import { allStoreRuns, manifestStamp } from './all-runs.js';
import { recordKey } from './record-key.js';

/** A view rendered from the record; `cacheable`: it depends on nothing but the record. */
export type Rendered = { ok: true; text: string; cacheable: boolean } | { ok: false; message: string };

export interface ViewSource {
  /** The cache file's name (`status`, `list`). */
  name: string;
  /** Who renders (runr version and view shape): a cache rendered by another is ignored. */
  renderer: string;
  render(runId: string): Promise<Rendered>;
}

/** A view's UTF-8 bytes (a cache row is handed on as it is, never decoded), or a record that did not load. */
export type ViewItem = { kind: 'bytes'; bytes: Buffer } | { kind: 'problem'; run_id: string; message: string };

/** Takes each item; a promise returned means: wait for it before the next (the reader is behind). */
export type Emit = (item: ViewItem) => void | Promise<void>;

/** Ids that fit the cache's line format. */
const keyable = (id: string): boolean => !/[\t\n\r\\/]/.test(id) && id !== '..' && id !== '.';

function hit(cache: ViewCache | null, row: CacheRow | null | undefined, key: string): Buffer | null {
  return cache !== null && row !== null && row !== undefined && row.flag === 'v' && row.key === key && key !== 'none' ? cache.bytes(row) : null;
}

/** Emits the rendered view; the bytes to cache, if it is cacheable. */
async function emitRendered(id: string, r: Rendered, emit: Emit): Promise<Buffer | null> {
  if (!r.ok) {
    await emit({ kind: 'problem', run_id: id, message: r.message });
    return null;
  }
  const bytes = Buffer.from(r.text, 'utf8');
  await emit({ kind: 'bytes', bytes });
  return r.cacheable && keyable(id) ? bytes : null;
}

/** The new cache file, if one is written: any failure to write it drops it (a cache is optional). */
class Rewrite {
  private w: CacheWriter | null = null;
  private failed = false;

  constructor(private readonly file: string) {}

  get started(): boolean {
    return this.w !== null || this.failed;
  }

  private safely(fn: (w: CacheWriter) => void): void {
    if (this.w === null) return;
    try {
      fn(this.w);
    } catch {
      this.w.abandon();
      this.w = null;
    }
  }

  start(carry?: (w: CacheWriter) => void): void {
    try {
      this.w = new CacheWriter(this.file);
    } catch {
      this.failed = true;
      return;
    }
    if (carry !== undefined) this.safely(carry);
  }

  add(id: string, key: string, text: Buffer | null): void {
    this.safely((w) => w.add(id, key, text));
  }

  finish(header: CacheHeader): void {
    this.safely((w) => w.finish(header));
    this.w = null;
  }

  abandon(): void {
    this.w?.abandon();
    this.w = null;
  }
}

/** Every run of the store, newest first; null when the runs directory has no manifest. */
export async function streamAllViews(runsDir: string, source: ViewSource, emit: Emit): Promise<{ matched: number; total: number } | null> {
  const file = viewsFile(runsDir, source.name);
  const cache = ViewCache.open(file, source.renderer);
  const rewrite = new Rewrite(file);
  try {
    const now = manifestStamp(runsDir);
    const sameOrder = cache !== null && now !== null && cache.header.manifest === now;
    let ids: readonly string[];
    let head: { matched: number; total: number; stamp: string | null };
    if (sameOrder) {
      ids = cache.ids;
      head = { matched: cache.header.matched, total: cache.header.total, stamp: now };
    } else {
      const all = await allStoreRuns(runsDir);
      if (all === null) return null;
      ids = all.ids;
      head = all;
      rewrite.start();
    }
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as string;
      const row = sameOrder ? cache.rows[i] : cache?.find(id);
      const key = keyable(id) ? recordKey(runsDir, id) : 'none';
      const cached = hit(cache, row, key);
      if (cached !== null) {
        const wait = emit({ kind: 'bytes', bytes: cached });
        if (wait !== undefined) await wait;
        rewrite.add(id, key, cached);
        continue;
      }
      const text = await emitRendered(id, await source.render(id), emit);
      // Same order, and this row differs from the cached one: a new file, carrying the rows before it over.
      if (sameOrder && !rewrite.started && !(row?.flag === 'x' && text === null)) {
        rewrite.start((w) => {
          for (const buf of cache.dataRange((row as CacheRow).offset)) w.carry(buf);
          for (let j = 0; j < i; j++) w.carryRow(cache.ids[j] as string, cache.rows[j] as CacheRow);
        });
      }
      rewrite.add(id, key, text);
    }
    rewrite.finish({ renderer: source.renderer, manifest: head.stamp, matched: head.matched, total: head.total });
    return { matched: head.matched, total: head.total };
  } finally {
    rewrite.abandon();
    cache?.close();
  }
}

/** The given runs in the given order, from the cache where it is fresh (the cache is only read). */
export async function streamViews(runsDir: string, source: ViewSource, ids: readonly string[], emit: Emit): Promise<void> {
  const cache = ViewCache.open(viewsFile(runsDir, source.name), source.renderer);
  try {
    for (const id of ids) {
      const key = cache !== null && keyable(id) ? recordKey(runsDir, id) : 'none';
      const cached = hit(cache, cache?.find(id), key);
      if (cached !== null) await emit({ kind: 'bytes', bytes: cached });
      else await emitRendered(id, await source.render(id), emit);
    }
  } finally {
    cache?.close();
  }
}
