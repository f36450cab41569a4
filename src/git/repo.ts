/** Facts about a repository: root, git directories, HEAD, branch. */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../core/errors.js';
import { git } from './exec.js';

export interface RepoInfo {
  /** Absolute top level of the working tree. */
  root: string;
  /** Absolute git directory of this working tree (`.git`, or `.git/worktrees/<n>`). */
  gitDir: string;
  /** Absolute common git directory (hooks, config). */
  commonDir: string;
  head: string;
  /** Null when HEAD is detached. */
  branch: string | null;
}

/** One `git rev-parse` for everything (each git spawn costs milliseconds that add up per run). */
export async function repoInfo(cwd: string): Promise<RepoInfo> {
  const r = await git(['rev-parse', '--show-toplevel', '--absolute-git-dir', '--git-common-dir', 'HEAD', '--symbolic-full-name', 'HEAD'], { cwd, allowFail: true });
  const lines = r.stdout.toString('utf8').split('\n');
  if (r.code !== 0 || lines.length < 5) {
    // Invalid input, not a failed run: exit 2, as docs/tasks.md says.
    if (/not a git repository/i.test(r.stderr)) throw new UserError(`${cwd} is not inside a git repository (task runs need git: run \`git init\` and commit first)`, 'not_a_git_repository');
    throw new UserError('the repository has no commits yet; commit something first (checkpoints need a base commit)', 'no_commits');
  }
  const [root = '', gitDir = '', common = '', head = '', ref = ''] = lines;
  return { root, gitDir, commonDir: path.resolve(cwd, common), head, branch: ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : null };
}

export async function currentBranch(cwd: string): Promise<string | null> {
  const r = await git(['symbolic-ref', '--short', '-q', 'HEAD'], { cwd, allowFail: true });
  return r.code === 0 ? r.stdout.toString('utf8').trim() : null;
}

export async function branchExists(cwd: string, branch: string): Promise<boolean> {
  const r = await git(['rev-parse', '--verify', '-q', `refs/heads/${branch}`], { cwd, allowFail: true });
  return r.code === 0;
}

/** Is `ancestor` reachable from `descendant` (or equal)? */
export async function isAncestor(cwd: string, ancestor: string, descendant: string): Promise<boolean> {
  const r = await git(['merge-base', '--is-ancestor', ancestor, descendant], { cwd, allowFail: true });
  return r.code === 0;
}

/**
 * HEAD's commit read from the files (no spawn): `<gitDir>/HEAD` names a ref, found loose in the
 * common dir or in packed-refs. Null when that does not work out (the caller asks git then).
 */
export function headFromFiles(gitDir: string, commonDir: string): string | null {
  try {
    const head = fs.readFileSync(path.join(gitDir, 'HEAD'), 'utf8').trim();
    if (/^[0-9a-f]{40,64}$/.test(head)) return head;
    const ref = /^ref: (refs\/\S+)$/.exec(head)?.[1];
    if (ref === undefined) return null;
    for (const dir of [gitDir, commonDir]) {
      try {
        const sha = fs.readFileSync(path.join(dir, ref), 'utf8').trim();
        if (/^[0-9a-f]{40,64}$/.test(sha)) return sha;
      } catch {
        // not loose here
      }
    }
    const packed = fs.readFileSync(path.join(commonDir, 'packed-refs'), 'utf8');
    const line = packed.split('\n').find((l) => l.endsWith(` ${ref}`));
    return line?.split(' ')[0] ?? null;
  } catch {
    return null;
  }
}

/** The git directory of a linked worktree, from its `.git` file (no spawn). */
export function worktreeGitDir(worktree: string): string | null {
  try {
    const m = /^gitdir: (.+)$/m.exec(fs.readFileSync(path.join(worktree, '.git'), 'utf8'));
    return m?.[1] === undefined ? null : path.resolve(worktree, m[1].trim());
  } catch {
    return null;
  }
}
