/**
 * The studies hasher and its cache (src/studies/hash-paths.ts, hash-cache.ts): hashes equal
 * sha256 of the bytes (and the directory listing format the records already hold); a remembered
 * hash is reused only when the stat matches and the file had settled when it was hashed (the
 * racy-file rule); any write, even one that restores size and mtime, is seen; the cache file is
 * outside the repository, ignored when torn or foreign, and not written with RUNR_CACHE_DIR=off.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HashCacheFile } from '../../src/studies/hash-cache.js';
import { Hasher, RACY_MS } from '../../src/studies/hash-paths.js';
import { StateMemo } from '../../src/studies/state-memo.js';

const dirs: string[] = [];
function tmp(): string {
  const d = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'runr-hash-cache-')));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const sha = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');
/** A clock far enough after every file time that every file counts as settled. */
const later = () => Date.now() + 10 * RACY_MS;

describe('Hasher', () => {
  it('hashes a file’s bytes, a directory’s sorted (path, sha256) listing, and null for a missing path', () => {
    const d = tmp();
    fs.writeFileSync(path.join(d, 'a.txt'), 'alpha\n');
    fs.mkdirSync(path.join(d, 'dir', 'sub'), { recursive: true });
    fs.writeFileSync(path.join(d, 'dir', 'b.txt'), 'beta');
    fs.writeFileSync(path.join(d, 'dir', 'sub', 'c.txt'), 'gamma');
    fs.writeFileSync(path.join(d, 'dir', '.runr-run'), 'skipped');
    fs.writeFileSync(path.join(d, 'dir', 'x.tmp'), 'skipped');
    const big = Buffer.alloc(300_000, 7); // spans several reads of the shared buffer
    fs.writeFileSync(path.join(d, 'big.bin'), big);
    const h = new Hasher();
    expect(h.hashPath(path.join(d, 'a.txt'))).toBe(sha('alpha\n'));
    expect(h.hashPath(path.join(d, 'big.bin'))).toBe(sha(big));
    expect(h.hashPath(path.join(d, 'dir'))).toBe(sha(`b.txt\0${sha('beta')}\nsub/c.txt\0${sha('gamma')}\n`));
    expect(h.hashPath(path.join(d, 'missing'))).toBeNull();
    expect(h.hashAll(d, ['a.txt', 'missing'])).toEqual({ 'a.txt': sha('alpha\n'), missing: null });
  });

  it('reuses a settled hash while the stat matches, and reads again once the file changed', () => {
    const d = tmp();
    const f = path.join(d, 'spec.yaml');
    fs.writeFileSync(f, 'size: 100\n');
    const h = new Hasher(later);
    expect(h.hashPath(f)).toBe(sha('size: 100\n'));
    expect(h.hashPath(f)).toBe(sha('size: 100\n'));
    expect(h.reads).toBe(1);
    expect(h.reused).toBe(1);
    // Same size, and mtime put back: ctime still moves, so the change is seen.
    const st = fs.statSync(f);
    fs.writeFileSync(f, 'size: 200\n');
    fs.utimesSync(f, st.atime, st.mtime);
    expect(h.hashPath(f)).toBe(sha('size: 200\n'));
    expect(h.reads).toBe(2);
  });

  it('does not reuse a hash taken right after the file changed (a write in the same clock tick would not show)', () => {
    const d = tmp();
    const f = path.join(d, 'out.json');
    fs.writeFileSync(f, '{}');
    const h = new Hasher(); // the real clock: the file changed just now
    h.hashPath(f);
    h.hashPath(f);
    expect(h.reads).toBe(2);
    expect(h.reused).toBe(0);
  });
});

describe('HashCacheFile', () => {
  it('saves what was hashed outside the repository and gives it to the next process', () => {
    const d = tmp();
    const cache = tmp();
    const env = { RUNR_CACHE_DIR: cache };
    const batch = path.join(d, 'runs', 's', 'batches', 'b1');
    fs.mkdirSync(batch, { recursive: true });
    const f = path.join(batch, 'dep.txt');
    fs.writeFileSync(f, 'dep');
    const a = new Hasher(later);
    a.hashPath(f);
    HashCacheFile.for(batch, env).save(a, new StateMemo(), Date.now());
    const saved = fs.readdirSync(path.join(cache, 'studies'));
    expect(saved).toHaveLength(1);
    expect(fs.readdirSync(batch)).toEqual(['dep.txt']);

    const b = new Hasher(later);
    HashCacheFile.for(batch, env).load(b, new StateMemo());
    expect(b.hashPath(f)).toBe(sha('dep'));
    expect(b.reads).toBe(0);
    expect(b.dirty).toBe(false);

    // Another batch directory does not take this batch's cache.
    const other = new Hasher(later);
    HashCacheFile.for(path.join(d, 'elsewhere'), env).load(other, new StateMemo());
    other.hashPath(f);
    expect(other.reads).toBe(1);

    // A torn or foreign cache is ignored.
    fs.writeFileSync(path.join(cache, 'studies', saved[0] ?? ''), '{"schema_version": 1, "files": ');
    const c = new Hasher(later);
    HashCacheFile.for(batch, env).load(c, new StateMemo());
    c.hashPath(f);
    expect(c.reads).toBe(1);
  });

  it('writes nothing with RUNR_CACHE_DIR=off', () => {
    const d = tmp();
    const home = tmp();
    const f = path.join(d, 'dep.txt');
    fs.writeFileSync(f, 'dep');
    const h = new Hasher(later);
    h.hashPath(f);
    HashCacheFile.for(d, { RUNR_CACHE_DIR: 'off', XDG_CACHE_HOME: home, HOME: home }).save(h, new StateMemo(), Date.now());
    expect(fs.readdirSync(home)).toEqual([]);
  });
});
