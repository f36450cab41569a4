/** Isolated worktrees (`--worktree`) and in-place branches. */
import { git } from './exec.js';

/** `git worktree add -b <branch> <dir> <base>`: a new branch checked out in a new directory. */
export async function addWorktree(repoRoot: string, dir: string, branch: string, base: string): Promise<void> {
  await git(['worktree', 'add', '--quiet', '-b', branch, dir, base], { cwd: repoRoot });
}

/** `git worktree add <dir> <branch>`: an existing branch checked out in a new directory. */
export async function addWorktreeForBranch(repoRoot: string, dir: string, branch: string): Promise<void> {
  await git(['worktree', 'add', '--quiet', dir, branch], { cwd: repoRoot });
}

/** Forget worktrees whose directories are gone (so their branches can be checked out again). */
export async function pruneWorktrees(repoRoot: string): Promise<void> {
  await git(['worktree', 'prune'], { cwd: repoRoot });
}

/** Create `branch` at HEAD and check it out, keeping the working tree as it is. */
export async function switchToNewBranch(cwd: string, branch: string): Promise<void> {
  await git(['checkout', '--quiet', '-b', branch], { cwd });
}
