/**
 * Where a task run works. `--worktree`: `.runr/worktrees/<run-id>` on branch `runr/<run-id>` from
 * HEAD (the main checkout is untouched; node_modules is linked in so verification can run). In
 * place: branch `runr/<run-id>` is created at HEAD and checked out in the repository itself, which
 * must be clean unless `--allow-dirty`; one in-place run per repository at a time (a lock in the
 * git directory, invisible to `git status`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError, StateError } from '../core/errors.js';
import { changedPaths, status } from '../git/status.js';
import { branchExists, worktreeGitDir } from '../git/repo.js';
import { addWorktreeLeavingOut, pruneWorktrees, switchToNewBranch } from '../git/worktree.js';
import type { HeldLock } from '../store/lock.js';
import { acquireLock } from '../store/lock.js';
import { contentHash } from './scope-guard.js';

/** Directories linked from the repository into a new worktree (ignored, too big to copy). */
export const LINKED_DIRS = ['node_modules'] as const;

export function inPlaceLockFile(commonDir: string): string {
  return path.join(commonDir, 'runr-in-place.lock');
}

export async function acquireInPlaceLock(commonDir: string): Promise<HeldLock> {
  try {
    return await acquireLock(inPlaceLockFile(commonDir), { waitMs: 0, heartbeatMs: 1000, staleMs: 120_000, purpose: 'task run in place' });
  } catch (err) {
    throw new StateError(`another runr task run is working in place in this repository (${err instanceof Error ? err.message.replace(/^.*: locked/, 'locked') : ''}); wait for it, or use --worktree`);
  }
}

/** Dirty files of the main checkout (minus runr's own paths), with content hashes for `--allow-dirty`. */
export async function dirtyBaseline(root: string, ownPaths: readonly string[]): Promise<Array<{ path: string; sha256: string | null }>> {
  const files = changedPaths(await status(root, ownPaths)).filter((p) => !ownPaths.some((o) => p === o || p.startsWith(`${o}/`)));
  return files.map((p) => ({ path: p, sha256: contentHash(path.join(root, p)) }));
}

export function refuseDirty(dirty: ReadonlyArray<{ path: string }>): void {
  if (dirty.length === 0) return;
  const shown = dirty.slice(0, 5).map((d) => d.path).join(', ');
  throw new UserError(`Worktree is dirty: ${dirty.length} changed file${dirty.length === 1 ? '' : 's'} (${shown}${dirty.length > 5 ? ', …' : ''}). Commit or stash them first, use --worktree, or --allow-dirty (not recommended)`, 'worktree_dirty');
}

export function worktreeDirOf(runrDir: string, runId: string): string {
  return path.join(runrDir, 'worktrees', runId);
}

/**
 * What a task worktree leaves out of its checkout: the runs directory, when it is inside the
 * repository (its committed records are the store's, kept in the main checkout; see
 * git/worktree.ts). Repository-relative, `/`-separated.
 */
export function leftOutOfWorktree(root: string, runsDir: string): string[] {
  const rel = path.relative(root, runsDir);
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return [];
  return [rel.split(path.sep).join('/')];
}

export async function createWorktree(root: string, runrDir: string, runId: string, branch: string, base: string, leaveOut: readonly string[] = []): Promise<{ dir: string; linked: string[] }> {
  const dir = worktreeDirOf(runrDir, runId);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  await addWorktreeLeavingOut(root, dir, { newBranch: branch, base }, leaveOut);
  return { dir, linked: linkDirs(root, dir) };
}

/**
 * Resume: put back a worktree that is gone (deleted by hand, or never made because the run was
 * killed right after it started). It is checked out from the run's branch, which holds the
 * checkpoints; a branch that was never created is made at the base commit.
 */
export async function recreateWorktree(root: string, dir: string, branch: string, base: string, leaveOut: readonly string[] = []): Promise<{ fromBranch: boolean }> {
  // A directory left half-made (no `.git` file, or never checked out) is runr's own; git's stale
  // registration goes too.
  if (fs.existsSync(dir) && !worktreeCheckedOut(dir)) fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  await pruneWorktrees(root);
  const fromBranch = await branchExists(root, branch);
  await addWorktreeLeavingOut(root, dir, fromBranch ? { branch } : { newBranch: branch, base }, leaveOut);
  linkDirs(root, dir);
  return { fromBranch };
}

/**
 * Whether `git worktree add` of `dir` got as far as its checkout. A worktree is added first and
 * checked out after (git/worktree.ts), and git writes the worktree's index only when the checkout
 * completes (atomically, through index.lock): a kill -9 in between leaves a `.git` file and no
 * index, a worktree resume must make again rather than judge (its files would all look deleted).
 */
export function worktreeCheckedOut(dir: string): boolean {
  const gitDir = worktreeGitDir(dir);
  return gitDir !== null && fs.existsSync(path.join(gitDir, 'index'));
}

function linkDirs(root: string, dir: string): string[] {
  const linked: string[] = [];
  for (const name of LINKED_DIRS) {
    const src = path.join(root, name);
    const dst = path.join(dir, name);
    if (fs.existsSync(src) && !fs.existsSync(dst)) {
      fs.symlinkSync(src, dst, 'dir');
      linked.push(name);
    }
  }
  return linked;
}

export async function branchInPlace(root: string, branch: string): Promise<void> {
  await switchToNewBranch(root, branch);
}
