/**
 * Merge dry-runs with `git merge-tree --write-tree` (git ≥ 2.38): two commits are merged in the
 * object database only — no worktree, no index, no ref is touched. Exit 0 = clean, 1 = conflicts
 * (the conflicted paths follow the tree id with `--name-only`). Results are cached per pair of
 * commits (a merge of the same two commits always gives the same answer), and a cheap first tier —
 * do the two sides' changed files overlap at all? — spares the merge for most pairs.
 */
import { git } from '../git/exec.js';

export interface DryRun {
  clean: boolean;
  /** Conflicted paths (sorted). */
  files: string[];
}

export class MergeTreeUnavailable extends Error {}

/** One `git merge-tree` of `a` and `b`. */
export async function mergeTree(cwd: string, a: string, b: string): Promise<DryRun> {
  const r = await git(['merge-tree', '--write-tree', '-z', '--name-only', '--no-messages', a, b], { cwd, allowFail: true });
  if (r.code === 0) return { clean: true, files: [] };
  if (r.code !== 1) {
    if (/unknown option|usage: git merge-tree/i.test(r.stderr)) throw new MergeTreeUnavailable('git merge-tree --write-tree needs git ≥ 2.38');
    throw new Error(`git merge-tree ${a.slice(0, 12)} ${b.slice(0, 12)} failed (exit ${r.code}): ${r.stderr.trim()}`);
  }
  // -z: "<tree>\0<path>\0<path>\0…\0" (with --no-messages there is no informational section).
  const parts = r.stdout.toString('utf8').split('\0').slice(1).filter((p) => p !== '');
  return { clean: false, files: [...new Set(parts)].sort() };
}

/** A memo of facts about commits that never change (merge results, diffs, merge bases). */
function memo<T>(m: Map<string, Promise<T>>, key: string, f: () => Promise<T>): Promise<T> {
  const cached = m.get(key);
  if (cached !== undefined) return cached;
  const p = f();
  m.set(key, p);
  p.catch(() => m.delete(key));
  return p;
}

export class DryRunCache {
  private readonly results = new Map<string, Promise<DryRun>>();
  private readonly diffs = new Map<string, Promise<string[]>>();
  private readonly bases = new Map<string, Promise<string | null>>();
  hits = 0;
  runs = 0;

  constructor(private readonly cwd: string) {}

  /** Order-independent: merging a into b conflicts exactly when b into a does. */
  get(a: string, b: string): Promise<DryRun> {
    const key = a < b ? `${a}:${b}` : `${b}:${a}`;
    const cached = this.results.get(key);
    if (cached !== undefined) {
      this.hits++;
      return cached;
    }
    this.runs++;
    const p = mergeTree(this.cwd, a, b);
    this.results.set(key, p);
    p.catch(() => this.results.delete(key));
    return p;
  }

  /** `changedBetween`, once per pair of commits. */
  changed(base: string, head: string): Promise<string[]> {
    return memo(this.diffs, `${base}:${head}`, () => changedBetween(this.cwd, base, head));
  }

  /** The merge base of two commits (null: none), once per pair. */
  mergeBase(a: string, b: string): Promise<string | null> {
    return memo(this.bases, a < b ? `${a}:${b}` : `${b}:${a}`, async () => {
      const r = await git(['merge-base', a, b], { cwd: this.cwd, allowFail: true });
      return r.code === 0 ? r.stdout.toString('utf8').trim() : null;
    });
  }
}

/** Files changed between two commits (`git diff --name-only -z base head`, renames as both sides). */
export async function changedBetween(cwd: string, base: string, head: string): Promise<string[]> {
  if (base === head) return [];
  const r = await git(['diff', '--name-only', '-z', '--no-renames', base, head], { cwd });
  return r.stdout
    .toString('utf8')
    .split('\0')
    .filter((p) => p !== '')
    .sort();
}
