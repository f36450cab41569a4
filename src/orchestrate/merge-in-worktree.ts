/**
 * Landing's merge as one `git merge` in the integration worktree, when that worktree is clean and
 * detached at the branch head the merge goes onto (the usual case: each landing leaves it at the
 * head it verified). One process makes the merge commit (or fast-forwards) and checks the result
 * out for verification — where `merge-base` and `merge-tree`, then `commit-tree`, then `checkout`
 * took three steps. The result is the same: git's own merge (ort), a fast-forward when the task's
 * head descends from the branch head, nothing when it is already in it, the same parents and
 * message. Options pin what a user's config could change (`merge.ff`, autostash, rerere, hooks,
 * signing). On a conflict the merge is aborted (the worktree is back at the head) and the
 * conflicted paths are returned; on any other failure `null`: the caller takes the usual path.
 */
import fs from 'node:fs';
import path from 'node:path';
import { git } from '../git/exec.js';
import { FALLBACK_IDENTITY } from '../git/commit.js';
import type { MergeStep } from './integration.js';

const NO_IDENTITY = /tell me who you are|unable to auto-detect email|empty ident name/i;
const SHA = /^([0-9a-f]{40}|[0-9a-f]{64})\n?$/;

/** The commit a detached worktree's HEAD names (its `<gitdir>/HEAD`), or null: not a plain detached HEAD. */
export function detachedHeadOf(gitDir: string): string | null {
  const file = path.join(gitDir, 'HEAD');
  try {
    const st = fs.lstatSync(file);
    if (!st.isFile() || st.size > 128) return null;
    const bytes = fs.readFileSync(file);
    if (bytes.includes(0)) return null;
    const m = SHA.exec(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return m?.[1] ?? null;
  } catch {
    return null;
  }
}

export async function mergeInWorktree(dir: string, gitDir: string, old: string, head: string, message: string): Promise<MergeStep | null> {
  const args = ['-c', 'commit.gpgsign=false', '-c', 'rerere.enabled=false', 'merge', '--ff', '--no-edit', '--no-verify', '--no-log', '--no-stat', '--no-autostash', '--quiet', '-m', message, head];
  let r = await git(args, { cwd: dir, allowFail: true });
  if (r.code !== 0 && NO_IDENTITY.test(r.stderr)) r = await git(['-c', `user.name=${FALLBACK_IDENTITY.name}`, '-c', `user.email=${FALLBACK_IDENTITY.email}`, ...args], { cwd: dir, allowFail: true });
  if (r.code === 0) {
    const now = detachedHeadOf(gitDir);
    if (now === null) return null;
    return now === old ? { kind: 'already', old } : { kind: 'merged', old, merged: now };
  }
  const u = await git(['diff', '--name-only', '-z', '--diff-filter=U'], { cwd: dir, allowFail: true });
  const files = [...new Set(u.stdout.toString('utf8').split('\0').filter((p) => p !== ''))].sort();
  if (fs.existsSync(path.join(gitDir, 'MERGE_HEAD'))) await git(['merge', '--abort'], { cwd: dir, allowFail: true });
  return files.length > 0 ? { kind: 'conflict', old, files } : null;
}
