/**
 * Parsed YAML, cached by content in runr's cache directory (`yaml/<sha256>.json`, user-cache.ts):
 * the YAML parser costs more than everything else `batch run` does to find an unchanged batch with
 * nothing to do, and a batch's manifest and pipeline rarely change. The key is the sha256 of the
 * text (and of the runr version that parsed it), so an entry can never stand for other text; only
 * documents that parse cleanly and survive JSON unchanged are cached (no `.inf`, `.nan`, `-0`);
 * errors are never cached. What the cache returns is validated by the caller's schema as usual.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { VERSION } from '../core/version.js';
import { pruneCacheDir, readCacheFile, userCacheDir, writeCacheFile } from './user-cache.js';

const FORMAT = 1;
const KEEP_MS = 30 * 24 * 3600 * 1000;

/** Whether `v` comes back from JSON exactly as it is. */
function jsonExact(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0);
  if (Array.isArray(v)) return v.every(jsonExact);
  if (typeof v !== 'object' || Object.getPrototypeOf(v) !== Object.prototype) return false;
  return Object.entries(v as Record<string, unknown>).every(([k, x]) => k !== '__proto__' && jsonExact(x));
}

export async function cachedYaml(text: string, parse: (text: string) => Promise<unknown>, env: NodeJS.ProcessEnv): Promise<unknown> {
  const dir = userCacheDir(env, 'yaml');
  if (dir === null) return parse(text);
  const key = createHash('sha256').update(`runr ${VERSION} yaml-cache ${FORMAT}\0${text}`).digest('hex');
  const file = path.join(dir, `${key.slice(0, 40)}.json`);
  const hit = readCacheFile(file);
  if (hit !== null) {
    try {
      const e = JSON.parse(hit) as { key?: unknown; value?: unknown };
      if (e.key === key) return e.value;
    } catch {
      // torn or foreign: parse again and replace it
    }
  }
  const value = await parse(text);
  if (jsonExact(value) && writeCacheFile(file, `${JSON.stringify({ key, value })}\n`)) pruneCacheDir(dir, KEEP_MS, Date.now());
  return value;
}
