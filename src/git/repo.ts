/** Facts about a repository: root, git directories, HEAD, branch. */
import path from 'node:path';
import { StateError } from '../core/errors.js';
import { git, gitText } from './exec.js';

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

export async function repoInfo(cwd: string): Promise<RepoInfo> {
  const r = await git(['rev-parse', '--show-toplevel', '--absolute-git-dir', '--git-common-dir', '--verify', '-q', 'HEAD'], { cwd, allowFail: true });
  const lines = r.stdout.toString('utf8').split('\n');
  if (r.code !== 0 || lines.length < 4) {
    if (/not a git repository/i.test(r.stderr)) throw new StateError(`${cwd} is not inside a git repository (task runs need git: run \`git init\` and commit first)`);
    throw new StateError('the repository has no commits yet; commit something first (checkpoints need a base commit)');
  }
  const [root = '', gitDir = '', common = '', head = ''] = lines;
  const branch = await currentBranch(cwd);
  return { root, gitDir, commonDir: path.resolve(cwd, common), head, branch };
}

export async function currentBranch(cwd: string): Promise<string | null> {
  const r = await git(['symbolic-ref', '--short', '-q', 'HEAD'], { cwd, allowFail: true });
  return r.code === 0 ? r.stdout.toString('utf8').trim() : null;
}

export async function headSha(cwd: string): Promise<string> {
  return gitText(['rev-parse', '--verify', 'HEAD'], { cwd });
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

/** Whether commits can be made without a configured identity; if not, runr supplies one. */
export async function hasIdentity(cwd: string): Promise<boolean> {
  const r = await git(['var', 'GIT_COMMITTER_IDENT'], { cwd, allowFail: true });
  return r.code === 0;
}
