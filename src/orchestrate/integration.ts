/**
 * The integration branch and its merge queue. Landing a task: in a dedicated worktree
 * (`.runr/worktrees/<orchestration-id>`, detached HEAD, never the user's checkout), merge the
 * task's last checkpoint onto the branch's head, run the verification tiers on the merged tree,
 * and only when they are green move the branch (`git update-ref <branch> <new> <old>`: compare and
 * swap). A conflict or a red verification leaves the branch exactly as it was. Because the branch
 * moves only after verification, a crash anywhere in here leaves either the old head (landing is
 * redone) or the new one (the task's head is then an ancestor and landing is recorded as done).
 */
import fs from 'node:fs';
import path from 'node:path';
import { git, gitText } from '../git/exec.js';
import { FALLBACK_IDENTITY } from '../git/commit.js';
import { isAncestor } from '../git/repo.js';
import { LINKED_DIRS } from '../tasks/workspace.js';

const NO_IDENTITY = /tell me who you are|unable to auto-detect email|empty ident name/i;

export type LandResult =
  | { kind: 'landed'; integrationHead: string; already: boolean; verified: boolean }
  | { kind: 'conflict'; files: string[] }
  | { kind: 'red'; mergedHead: string };

export class Integration {
  constructor(
    readonly repoRoot: string,
    readonly dir: string,
    readonly branch: string,
  ) {}

  /** The worktree, created on first use (detached at the branch head) with node_modules linked. */
  static async open(repoRoot: string, runrDir: string, orchId: string, branch: string): Promise<Integration> {
    const dir = path.join(runrDir, 'worktrees', orchId);
    const it = new Integration(repoRoot, dir, branch);
    if (!fs.existsSync(path.join(dir, '.git'))) {
      fs.mkdirSync(path.dirname(dir), { recursive: true });
      await git(['worktree', 'prune'], { cwd: repoRoot, allowFail: true });
      await git(['worktree', 'add', '--quiet', '--detach', dir, `refs/heads/${branch}`], { cwd: repoRoot });
      for (const name of LINKED_DIRS) {
        const src = path.join(repoRoot, name);
        const dst = path.join(dir, name);
        if (fs.existsSync(src) && !fs.existsSync(dst)) fs.symlinkSync(src, dst, 'dir');
      }
    }
    return it;
  }

  head(): Promise<string> {
    return gitText(['rev-parse', '--verify', `refs/heads/${this.branch}^{commit}`], { cwd: this.repoRoot });
  }

  /** A clean detached checkout of `sha` (whatever an earlier, interrupted landing left). */
  private async reset(sha: string): Promise<void> {
    await git(['merge', '--abort'], { cwd: this.dir, allowFail: true });
    await git(['checkout', '--quiet', '--force', '--detach', sha], { cwd: this.dir });
    await git(['reset', '--quiet', '--hard', sha], { cwd: this.dir });
    await git(['clean', '-fdq', ...LINKED_DIRS.flatMap((n) => ['-e', n])], { cwd: this.dir });
  }

  /** Step 1: merge `head` onto the branch head in the worktree (no ref moves). */
  async merge(head: string, message: string): Promise<{ kind: 'merged'; old: string; merged: string } | { kind: 'already'; old: string } | { kind: 'conflict'; old: string; files: string[] }> {
    const old = await this.head();
    await this.reset(old);
    if (await isAncestor(this.dir, head, old)) return { kind: 'already', old };
    const args = ['-c', 'commit.gpgsign=false', 'merge', '--no-edit', '--no-verify', '--quiet', '-m', message, head];
    let r = await git(args, { cwd: this.dir, allowFail: true });
    if (r.code !== 0 && NO_IDENTITY.test(r.stderr)) r = await git(['-c', `user.name=${FALLBACK_IDENTITY.name}`, '-c', `user.email=${FALLBACK_IDENTITY.email}`, ...args], { cwd: this.dir, allowFail: true });
    if (r.code !== 0) {
      const u = await git(['diff', '--name-only', '-z', '--diff-filter=U'], { cwd: this.dir, allowFail: true });
      const files = u.stdout
        .toString('utf8')
        .split('\0')
        .filter((p) => p !== '')
        .sort();
      await this.reset(old);
      if (files.length === 0) throw new Error(`git merge ${head.slice(0, 12)} failed: ${r.stderr.trim()}`);
      return { kind: 'conflict', old, files };
    }
    return { kind: 'merged', old, merged: await gitText(['rev-parse', '--verify', 'HEAD'], { cwd: this.dir }) };
  }

  /** Step 3 (after green verification): move the branch, only if nobody else moved it. */
  async keep(merged: string, old: string): Promise<void> {
    await git(['update-ref', '-m', 'runr orchestrate: land', `refs/heads/${this.branch}`, merged, old], { cwd: this.repoRoot });
  }

  /** Step 3 (red): back to the old head; the branch never moved. */
  async discard(old: string): Promise<void> {
    await this.reset(old);
  }

  async remove(): Promise<void> {
    await git(['worktree', 'remove', '--force', this.dir], { cwd: this.repoRoot, allowFail: true });
  }
}

/** Is `branch` checked out in some worktree (then runr must never move it)? */
export async function checkedOutIn(repoRoot: string, branch: string): Promise<string | null> {
  const r = await git(['worktree', 'list', '--porcelain', '-z'], { cwd: repoRoot, allowFail: true });
  let dir: string | null = null;
  for (const field of r.stdout.toString('utf8').split('\0')) {
    if (field.startsWith('worktree ')) dir = field.slice('worktree '.length);
    else if (field === `branch refs/heads/${branch}`) return dir;
  }
  return null;
}
