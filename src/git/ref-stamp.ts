/**
 * A stamp of the files git reads its refs from, read from disk with no git command: the content of
 * `packed-refs`, of every file under `refs/` and `reftable/` (symlinks by their target and by what
 * they lead to), each with its name and type. `git for-each-ref` prints what these files say (with
 * the repository's config, which the guard compares on its own, and runr's fixed environment), so
 * an equal stamp means an equal listing: the repository guard asks git again only when the stamp
 * moved (repo-guard.ts). Content, not mtimes: a rewrite within the clock's tick, or with the mtime
 * put back, still changes the stamp. Null when it cannot say (the repository root is a linked
 * worktree, whose own refs live elsewhere; too many files): the caller then asks git.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { readStrictBytesOrNull } from '../store/strict-read.js';

/** Past this many entries the stamp gives up (the caller asks git, which reads them all anyway). */
const MAX_ENTRIES = 20_000;
/** A packed-refs (or loose ref) larger than this: ask git. */
const MAX_BYTES = 8 * 1024 * 1024;

class Unknown extends Error {}

function addEntry(h: ReturnType<typeof createHash>, abs: string, rel: string, count: { n: number }, depth: number): void {
  if (++count.n > MAX_ENTRIES || depth > 64) throw new Unknown();
  let st: fs.Stats;
  try {
    st = fs.lstatSync(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new Unknown();
    h.update(`${rel}\0absent\0`);
    return;
  }
  if (st.isDirectory()) {
    h.update(`${rel}\0dir\0`);
    for (const raw of fs.readdirSync(abs, { encoding: 'buffer' }).sort((a, b) => Buffer.compare(a, b))) {
      const name = raw.toString('utf8');
      if (!Buffer.from(name, 'utf8').equals(raw)) throw new Unknown(); // a name that is not UTF-8
      addEntry(h, path.join(abs, name), `${rel}/${name}`, count, depth + 1);
    }
    return;
  }
  if (st.isSymbolicLink()) h.update(`${rel}\0link:${fs.readlinkSync(abs)}\0`);
  else if (!st.isFile()) throw new Unknown();
  // A symlinked ref is read through its link, as git does (never blocking: a FIFO is a ValidationError).
  const bytes = readStrictBytesOrNull(abs, rel, { maxBytes: MAX_BYTES });
  if (bytes === null) h.update(`${rel}\0dangling\0`);
  else {
    h.update(`${rel}\0file:${bytes.length}\0`);
    h.update(bytes);
  }
}

/** The stamp of the refs that `git for-each-ref` in `repoRoot` lists, or null (ask git). */
export function refStamp(repoRoot: string, commonDir: string): string | null {
  try {
    // Only a main worktree: a linked one has refs of its own (refs/bisect, refs/worktree) in its git dir.
    if (fs.realpathSync(path.join(repoRoot, '.git')) !== fs.realpathSync(commonDir)) return null;
    const h = createHash('sha256');
    const count = { n: 0 };
    for (const name of ['packed-refs', 'refs', 'reftable']) addEntry(h, path.join(commonDir, name), name, count, 0);
    return h.digest('hex');
  } catch {
    return null;
  }
}
