/** Isolated worktrees (`--worktree`) and in-place branches. */
import fs from 'node:fs';
import path from 'node:path';
import { git, gitText } from './exec.js';
import { worktreeGitDir } from './repo.js';

/** What a new worktree checks out: a new branch at a base commit, or an existing branch. */
export type WorktreeTarget = { newBranch: string; base: string } | { branch: string };

/**
 * `git worktree add` of `target` in `dir`, leaving the repository-relative directories `leaveOut`
 * out of the checkout (a task worktree leaves out the committed run records: at 10k runs they are
 * ~50,000 files that `git worktree add` would write and the worker never needs). How: the worktree
 * is added without a checkout, its own `info/sparse-checkout` gets `/*` minus those directories,
 * and one checkout with `core.sparseCheckout` given on its command line marks their index entries
 * skip-worktree. No config file is written (the repository's config and the worktree's stay as
 * they were); git keeps skip-worktree entries through status, add, commit and branch switches, so
 * commits made in the worktree keep the records as they were and never delete them.
 */
export async function addWorktreeLeavingOut(repoRoot: string, dir: string, target: WorktreeTarget, leaveOut: readonly string[]): Promise<void> {
  const what = 'newBranch' in target ? ['-b', target.newBranch, dir, target.base] : [dir, target.branch];
  if (leaveOut.length === 0) {
    await git(['worktree', 'add', '--quiet', ...what], { cwd: repoRoot });
    return;
  }
  await git(['worktree', 'add', '--quiet', '--no-checkout', ...what], { cwd: repoRoot });
  const gitDir = worktreeGitDir(dir) ?? (await gitText(['rev-parse', '--absolute-git-dir'], { cwd: dir }));
  fs.mkdirSync(path.join(gitDir, 'info'), { recursive: true });
  fs.writeFileSync(path.join(gitDir, 'info', 'sparse-checkout'), sparsePatterns(leaveOut));
  await git(['-c', 'core.sparseCheckout=true', '-c', 'core.sparseCheckoutCone=false', 'checkout', '--quiet'], { cwd: dir });
}

/** Non-cone sparse-checkout patterns: everything at the root, minus each directory (escaped). */
export function sparsePatterns(leaveOut: readonly string[]): string {
  const esc = (p: string) => p.replace(/[\\*?[\]!# ]/g, (c) => `\\${c}`);
  return ['/*', ...leaveOut.map((d) => `!/${esc(d.replace(/^\/+|\/+$/g, ''))}/`)].join('\n') + '\n';
}

/** Forget worktrees whose directories are gone (so their branches can be checked out again). */
export async function pruneWorktrees(repoRoot: string): Promise<void> {
  await git(['worktree', 'prune'], { cwd: repoRoot });
}

/** Create `branch` at HEAD and check it out, keeping the working tree as it is. */
export async function switchToNewBranch(cwd: string, branch: string): Promise<void> {
  await git(['checkout', '--quiet', '-b', branch], { cwd });
}
