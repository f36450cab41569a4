/**
 * A worker's clones of the repository, one per concurrent job ("slot"), under its work directory.
 * Before a job the slot is moved to the run's base commit; afterwards the run's worktree and local
 * files are removed, so an attempt never sees another attempt's leftovers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../core/errors.js';
import { git, gitText } from '../git/exec.js';

export const GIT_IDENTITY = { GIT_AUTHOR_NAME: 'runr worker', GIT_AUTHOR_EMAIL: 'runr@localhost', GIT_COMMITTER_NAME: 'runr worker', GIT_COMMITTER_EMAIL: 'runr@localhost' };

export class Slots {
  private readonly free: string[] = [];
  private readonly waiters: Array<(dir: string) => void> = [];

  private constructor(dirs: string[]) {
    this.free.push(...dirs);
  }

  /** Clone `repo` (a path or git URL) `n` times under `root` (reusing clones made earlier). */
  static async open(root: string, repo: string, n: number): Promise<Slots> {
    fs.mkdirSync(root, { recursive: true });
    const dirs: string[] = [];
    for (let i = 0; i < n; i++) {
      const dir = path.join(root, `slot-${i}`);
      if (!fs.existsSync(path.join(dir, '.git'))) {
        fs.rmSync(dir, { recursive: true, force: true });
        await git(['clone', '-q', '--no-checkout', repo, dir], { cwd: root });
      }
      dirs.push(dir);
    }
    return new Slots(dirs);
  }

  async acquire(): Promise<string> {
    const d = this.free.pop();
    if (d !== undefined) return d;
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release(dir: string): void {
    const w = this.waiters.shift();
    if (w) w(dir);
    else this.free.push(dir);
  }
}

/** Paths from a job must stay inside the clone. */
export function insideRepo(root: string, rel: string): string {
  if (path.isAbsolute(rel) || rel.split(/[\\/]/).includes('..')) throw new UserError(`task file path escapes the repository: ${rel}`);
  return path.join(root, rel);
}

/** Check out the run's base commit, clean, with no trace of an earlier attempt of this run. */
export async function prepareSlot(dir: string, runId: string, base: string, runsDirRel: string): Promise<void> {
  await git(['fetch', '-q', '--prune', 'origin'], { cwd: dir });
  await dropRun(dir, runId, runsDirRel);
  await git(['checkout', '-q', '-f', '--detach', base], { cwd: dir });
  await git(['clean', '-q', '-fdx', '-e', '.runr/worktrees'], { cwd: dir });
}

/** Remove a run's worktree, branch and local record from a slot. */
export async function dropRun(dir: string, runId: string, runsDirRel: string): Promise<void> {
  const wt = path.join(dir, '.runr', 'worktrees', runId);
  if (fs.existsSync(wt)) await git(['worktree', 'remove', '--force', wt], { cwd: dir, allowFail: true });
  fs.rmSync(wt, { recursive: true, force: true });
  await git(['worktree', 'prune'], { cwd: dir, allowFail: true });
  await git(['branch', '-q', '-D', `runr/${runId}`], { cwd: dir, allowFail: true });
  fs.rmSync(path.join(dir, runsDirRel, runId), { recursive: true, force: true });
}

/**
 * Commit the run's record (`<runs dir>/<id>/record/`) on the run's branch, in its worktree, after
 * the checkpoints: one commit with the trailers `Runr-Run` and `Runr-Record`. Returns the new tip.
 */
export async function commitRecord(slot: string, runId: string, runsDirRel: string, attempt: number): Promise<string> {
  const wt = path.join(slot, '.runr', 'worktrees', runId);
  if (!fs.existsSync(wt)) throw new UserError(`run ${runId}: its worktree is missing in ${slot}`);
  const src = path.join(slot, runsDirRel, runId, 'record');
  const dst = path.join(wt, runsDirRel, runId, 'record');
  fs.rmSync(dst, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dst), { recursive: true });
  fs.cpSync(src, dst, { recursive: true });
  const rel = path.join(runsDirRel, runId, 'record');
  await git(['add', '-f', '--', rel], { cwd: wt });
  const msg = `runr: record of ${runId}\n\nRunr-Run: ${runId}\nRunr-Record: ${runId}\nRunr-Attempt: ${attempt}\n`;
  await git(['-c', 'commit.gpgsign=false', 'commit', '-q', '--no-verify', '--allow-empty', '-m', msg], { cwd: wt, env: GIT_IDENTITY });
  return gitText(['rev-parse', 'HEAD'], { cwd: wt });
}

/** Push the run's branch to the shared remote (called while the registry row is held). */
export async function pushRunBranch(slot: string, runId: string): Promise<void> {
  const wt = path.join(slot, '.runr', 'worktrees', runId);
  await git(['push', '-q', '--force', 'origin', `HEAD:refs/heads/runr/${runId}`], { cwd: wt });
}
