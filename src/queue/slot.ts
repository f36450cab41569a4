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

/**
 * Point the slot's `runr/<run_id>` at a checkpoint an earlier attempt pushed (fetched by
 * prepareSlot; fetched by id if the remote branch moved since). False when it cannot be had.
 */
export async function restoreRunBranch(dir: string, runId: string, sha: string): Promise<boolean> {
  const has = async (): Promise<boolean> => (await git(['cat-file', '-e', `${sha}^{commit}`], { cwd: dir, allowFail: true })).code === 0;
  if (!(await has())) await git(['fetch', '-q', 'origin', sha], { cwd: dir, allowFail: true });
  if (!(await has())) return false;
  await git(['branch', '-q', '-f', `runr/${runId}`, sha], { cwd: dir });
  return true;
}

/** Remove a run's worktree, branch and local record from a slot (no git process for what is absent). */
export async function dropRun(dir: string, runId: string, runsDirRel: string): Promise<void> {
  const wt = path.join(dir, '.runr', 'worktrees', runId);
  const admin = path.join(dir, '.git', 'worktrees', runId);
  if (fs.existsSync(wt)) await git(['worktree', 'remove', '--force', wt], { cwd: dir, allowFail: true });
  fs.rmSync(wt, { recursive: true, force: true });
  if (fs.existsSync(admin)) await git(['worktree', 'prune'], { cwd: dir, allowFail: true });
  if (hasLocalBranch(dir, runId)) await git(['branch', '-q', '-D', `runr/${runId}`], { cwd: dir, allowFail: true });
  fs.rmSync(path.join(dir, runsDirRel, runId), { recursive: true, force: true });
}

/** Is `runr/<run_id>` a branch of the slot (a loose ref, or in packed-refs)? */
function hasLocalBranch(dir: string, runId: string): boolean {
  if (fs.existsSync(path.join(dir, '.git', 'refs', 'heads', 'runr', runId))) return true;
  try {
    return fs.readFileSync(path.join(dir, '.git', 'packed-refs'), 'utf8').includes(` refs/heads/runr/${runId}\n`);
  } catch {
    return false;
  }
}

/**
 * Commit the run's record (`<runs dir>/<id>/record/`) on the run's branch, in its worktree, after
 * the checkpoints: one commit with the trailers `Runr-Run` and `Runr-Record`. Returns the new tip.
 */
export async function commitRecord(slot: string, runId: string, runsDirRel: string, attempt: number, base: string, alsoPaths: readonly string[] = []): Promise<string> {
  const wt = await recordWorktree(slot, runId, base);
  // A workflow run's artifacts are in the clone itself (no worktree): they go in the same commit.
  for (const rel of alsoPaths) {
    const from = insideRepo(slot, rel);
    if (!fs.existsSync(from)) continue;
    fs.rmSync(path.join(wt, rel), { recursive: true, force: true });
    fs.mkdirSync(path.dirname(path.join(wt, rel)), { recursive: true });
    fs.cpSync(from, path.join(wt, rel), { recursive: true });
    await git(['add', '-f', '--', rel], { cwd: wt });
  }
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

/**
 * The worktree the record is committed in: the run's own (`.runr/worktrees/<id>`), or — for a run
 * that has none in this slot (a workflow run, or an attempt that took over a run whose record
 * already showed it ended) — one made for it on `runr/<run_id>` (its checkpoints), or at `base`
 * when the run has no branch yet.
 */
async function recordWorktree(slot: string, runId: string, base: string): Promise<string> {
  const wt = path.join(slot, '.runr', 'worktrees', runId);
  if (fs.existsSync(path.join(wt, '.git'))) return wt;
  fs.rmSync(wt, { recursive: true, force: true });
  await git(['worktree', 'prune'], { cwd: slot, allowFail: true });
  const branch = `runr/${runId}`;
  const hasBranch = (await git(['rev-parse', '-q', '--verify', `refs/heads/${branch}`], { cwd: slot, allowFail: true })).code === 0;
  await git(hasBranch ? ['worktree', 'add', '-q', wt, branch] : ['worktree', 'add', '-q', '-b', branch, wt, base], { cwd: slot });
  return wt;
}

/** The local tip of `runr/<run_id>` in a slot (the run's worktree shares the slot's refs), or null. */
export async function localRunTip(slot: string, runId: string): Promise<string | null> {
  try {
    const t = fs.readFileSync(path.join(slot, '.git', 'refs', 'heads', 'runr', runId), 'utf8').trim();
    if (/^[0-9a-f]{40}$/.test(t)) return t;
  } catch {
    // packed or absent: ask git
  }
  const r = await git(['rev-parse', '-q', '--verify', `refs/heads/runr/${runId}^{commit}`], { cwd: slot, allowFail: true });
  const t = r.stdout.toString('utf8').trim();
  return r.code === 0 && t !== '' ? t : null;
}

/** Past this long after its fence check, a push is given up (the row lock/hold lasts 60 s). */
const PUSH_DEADLINE_MS = 30_000;

/**
 * Push `sha` as `runr/<run_id>` on the shared remote, called while the registry holds the row for
 * this attempt (its token was just checked). The ref update carries the tip the registry knows
 * (`expected`, null = no branch yet): `--force-with-lease`, so a push of an attempt that was fenced
 * off after its check — and another attempt's push meanwhile — never overwrites it. If the remote
 * holds something the registry does not know (a stale attempt pushed after losing its lease, or a
 * push whose transaction was rolled back), the holder of the current token replaces it,
 * compare-and-swap again. Before each push the hold is checked again (`recheck`), so an attempt
 * that lost the row after its fence check pushes nothing. Returns what was replaced, if anything.
 */
export async function pushRunBranch(slot: string, runId: string, sha: string, expected: string | null, checkedAt: number, recheck: () => Promise<boolean>): Promise<{ replaced: string | null }> {
  const ref = `refs/heads/runr/${runId}`;
  const push = async (expect: string | null): Promise<boolean> => {
    if (performance.now() - checkedAt > PUSH_DEADLINE_MS) throw new Error(`run ${runId}: too long since the fence check; push given up`);
    // The row may have been let go meanwhile (this process paused past the lock's limit): ask again.
    if (!(await recheck())) throw new Error(`run ${runId}: the registry no longer holds the run for this attempt; push given up`);
    const r = await git(['push', '-q', `--force-with-lease=${ref}:${expect ?? ''}`, 'origin', `${sha}:${ref}`], { cwd: slot, allowFail: true });
    return r.code === 0;
  };
  if (await push(expected)) return { replaced: null };
  const remote = (await git(['ls-remote', 'origin', ref], { cwd: slot })).stdout.toString('utf8').split(/\s/)[0] ?? '';
  if (remote === sha) return { replaced: null }; // a retry of a push that had landed
  if (!(await push(remote === '' ? null : remote))) throw new Error(`run ${runId}: the run branch moved during the push; retry`);
  return { replaced: remote === '' ? '(none)' : remote };
}
