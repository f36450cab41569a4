/** Isolated worktrees (`--worktree`) and in-place branches. */
import { git } from './exec.js';

/** `git worktree add -b <branch> <dir> <base>`: a new branch checked out in a new directory. */
export async function addWorktree(repoRoot: string, dir: string, branch: string, base: string): Promise<void> {
  await git(['worktree', 'add', '--quiet', '-b', branch, dir, base], { cwd: repoRoot });
}

/** Create `branch` at HEAD and check it out, keeping the working tree as it is. */
export async function switchToNewBranch(cwd: string, branch: string): Promise<void> {
  await git(['checkout', '--quiet', '-b', branch], { cwd });
}
