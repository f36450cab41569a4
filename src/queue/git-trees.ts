/**
 * The files under a directory of many commits, read in a few git processes: one
 * `git cat-file --batch` per tree level and one for all the blobs, instead of an `ls-tree` and a
 * `cat-file` per file (`queue sync` of a hundred runs spawned a thousand git processes).
 */
import { git } from '../git/exec.js';

export interface TreeWant {
  /** The caller's key for this directory (a run id). */
  key: string;
  /** The commit. */
  sha: string;
  /** Repository-relative directory (no trailing slash). */
  dir: string;
}

interface BatchObject {
  type: string;
  data: Buffer;
}

/** `git cat-file --batch` on `names`: each object, or null when it is missing. */
async function catBatch(root: string, names: readonly string[]): Promise<Array<BatchObject | null>> {
  if (names.length === 0) return [];
  for (const n of names) if (n.includes('\n')) throw new Error(`internal: object name with a line break: ${JSON.stringify(n)}`);
  const out = (await git(['cat-file', '--batch'], { cwd: root, input: `${names.join('\n')}\n` })).stdout;
  const res: Array<BatchObject | null> = [];
  let at = 0;
  for (let i = 0; i < names.length; i++) {
    const nl = out.indexOf(0x0a, at);
    if (nl < 0) throw new Error('git cat-file --batch: output ended early');
    const head = out.subarray(at, nl).toString('utf8');
    at = nl + 1;
    const m = /^([0-9a-f]{40,64}) (\S+) (\d+)$/.exec(head);
    if (m === null) {
      // "<name> missing" / "<name> ambiguous"
      res.push(null);
      continue;
    }
    const size = Number(m[3]);
    res.push({ type: m[2] ?? '', data: out.subarray(at, at + size) });
    at += size + 1; // the content, then a line feed
  }
  return res;
}

/** The entries of a raw tree object: [mode, name, oid hex]. */
function treeEntries(data: Buffer, oidBytes: number): Array<{ mode: string; name: string; oid: string }> {
  const entries: Array<{ mode: string; name: string; oid: string }> = [];
  let at = 0;
  while (at < data.length) {
    const sp = data.indexOf(0x20, at);
    const nul = data.indexOf(0x00, sp);
    if (sp < 0 || nul < 0 || nul + 1 + oidBytes > data.length) throw new Error('git: a malformed tree object');
    entries.push({ mode: data.subarray(at, sp).toString('latin1'), name: data.subarray(sp + 1, nul).toString('utf8'), oid: data.subarray(nul + 1, nul + 1 + oidBytes).toString('hex') });
    at = nul + 1 + oidBytes;
  }
  return entries;
}

/**
 * For each want, the files under `dir` at `sha` (repository-relative path → content), or null when
 * the commit has no such directory. Submodules are skipped; a symlink gives its target as content.
 */
export async function readTrees(root: string, wants: readonly TreeWant[]): Promise<Map<string, Map<string, Buffer> | null>> {
  const result = new Map<string, Map<string, Buffer> | null>();
  let level: Array<{ key: string; name: string; dir: string }> = wants.map((w) => ({ key: w.key, name: `${w.sha}:${w.dir}`, dir: w.dir }));
  const blobs: Array<{ key: string; oid: string; path: string }> = [];
  let first = true;
  while (level.length > 0) {
    const objs = await catBatch(root, level.map((l) => l.name));
    const next: Array<{ key: string; name: string; dir: string }> = [];
    for (const [i, l] of level.entries()) {
      const o = objs[i] ?? null;
      if (o === null || o.type !== 'tree') {
        if (first) result.set(l.key, null);
        continue;
      }
      if (!result.has(l.key) || result.get(l.key) === null) result.set(l.key, new Map());
      // The oid length follows the repository's hash (SHA-1: 20 bytes; SHA-256: 32).
      const oidBytes = l.name.split(':')[0]!.length === 64 ? 32 : 20;
      for (const e of treeEntries(o.data, oidBytes)) {
        const p = `${l.dir}/${e.name}`;
        if (e.mode === '40000') next.push({ key: l.key, name: e.oid, dir: p });
        else if (e.mode !== '160000') blobs.push({ key: l.key, oid: e.oid, path: p });
      }
    }
    level = next;
    first = false;
  }
  const data = await catBatch(root, blobs.map((b) => b.oid));
  for (const [i, b] of blobs.entries()) {
    const o = data[i] ?? null;
    if (o === null) throw new Error(`git: object ${b.oid} (${b.path}) is missing`);
    result.get(b.key)?.set(b.path, o.data);
  }
  return result;
}
