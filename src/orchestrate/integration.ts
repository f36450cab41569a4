/**
 * The integration branch and its merge queue. Landing a task: merge the task's last checkpoint
 * onto the branch's head in the object database (merge-tree), check the result out in a dedicated
 * worktree (`.runr/worktrees/<orchestration-id>`, detached HEAD, never the user's checkout), run
 * the verification tiers on the merged tree,
 * and only when they are green move the branch (`git update-ref <branch> <new> <old>`: compare and
 * swap). A conflict or a red verification leaves the branch exactly as it was. Because the branch
 * moves only after verification, a crash anywhere in here leaves either the old head (landing is
 * redone) or the new one (the task's head is then an ancestor and landing is recorded as done).
 */
import fs from 'node:fs';
import path from 'node:path';
import { git, gitText } from '../git/exec.js';
import { FALLBACK_IDENTITY } from '../git/commit.js';
import { worktreeGitDir } from '../git/repo.js';
import { LINKED_DIRS } from '../tasks/workspace.js';
import { detachedHeadOf, mergeInWorktree } from './merge-in-worktree.js';

const NO_IDENTITY = /tell me who you are|unable to auto-detect email|empty ident name/i;

/** One merge onto the integration branch's head (nothing moved yet). */
export type MergeStep = { kind: 'merged'; old: string; merged: string } | { kind: 'already'; old: string } | { kind: 'conflict'; old: string; files: string[] };

/** One landing recorded in the session's log: the commit it made the branch's head, whose it was, what it changed. */
export interface LogStep {
  at: string;
  track: string | null;
  /** Paths that differ between the previous head and `at` (a superset is fine: it only widens checks); null: unknown. */
  files: Promise<string[] | null>;
}

/** The branch moved under the orchestrator (someone else updated it): landing is redone on the new head. */
export class IntegrationMoved extends Error {}

export class Integration {
  /**
   * The branch head as this process last read or set it. Only the orchestrator moves the branch,
   * so it is read from git once and then kept; `keep` is a compare-and-swap, so a move by anyone
   * else is noticed there (IntegrationMoved) and the head read again.
   */
  private known: string | null = null;
  /**
   * Whether the worktree is clean at its checked-out commit, checked in the background after each
   * landing (off the next landing's path): the next checkout then skips `git status`.
   */
  private cleanCheck: Promise<boolean> | null = null;
  /**
   * Every head the branch had in this session, in order, with what each landing changed: what
   * landed since a task took the branch in is then known without asking git (`landedAfter`).
   * Null once someone else moved the branch (then git is asked, for the rest of the session: the
   * log is append-only, so a task's position in it never changes meaning).
   */
  private log: LogStep[] | null = null;
  private logBroken = false;

  constructor(
    readonly repoRoot: string,
    readonly dir: string,
    readonly branch: string,
  ) {}

  /** Resolves once the worktree exists (null: not asked for yet; `warm`). */
  private ready: Promise<void> | null = null;
  /** The runr directory, when the worktree is missing and is still to be made. */
  private makeIn: string | null = null;

  /**
   * The integration worktree (detached at the branch head, node_modules linked), created in the
   * background when missing, once `warm` is called (the driver does when the task runs have
   * started, so `git worktree add` does not compete with their starts); the first landing that
   * needs it waits for it.
   */
  static async open(repoRoot: string, runrDir: string, orchId: string, branch: string, knownHead: string | null = null): Promise<Integration> {
    const dir = path.join(runrDir, 'worktrees', orchId);
    const it = new Integration(repoRoot, dir, branch);
    // The head as the caller knows it (an orchestration that just made the branch): not asked again.
    if (knownHead !== null) {
      it.known = knownHead;
      it.log = [{ at: knownHead, track: null, files: Promise.resolve([]) }];
    }
    if (!fs.existsSync(path.join(dir, '.git'))) it.makeIn = runrDir;
    return Promise.resolve(it);
  }

  /** Start making the worktree if it is missing (idempotent); resolves once it exists. */
  warm(): Promise<void> {
    if (this.ready === null) {
      this.ready = this.makeIn === null ? Promise.resolve() : this.create(this.makeIn);
      this.ready.catch(() => undefined); // reported by the first landing that needs it
    }
    return this.ready;
  }

  private async create(runrDir: string): Promise<void> {
    fs.mkdirSync(path.join(runrDir, 'worktrees'), { recursive: true });
    // --force: also when the path is still registered but its directory is gone (deleted by
    // hand); one process instead of `worktree prune` first, which could race the task runs' adds.
    await git(['worktree', 'add', '--quiet', '--force', '--detach', this.dir, `refs/heads/${this.branch}`], { cwd: this.repoRoot });
    for (const name of LINKED_DIRS) {
      const src = path.join(this.repoRoot, name);
      const dst = path.join(this.dir, name);
      if (fs.existsSync(src) && !fs.existsSync(dst)) fs.symlinkSync(src, dst, 'dir');
    }
    // Just checked out, nothing run in it yet: the first landing's checkout needs no `git status`.
    this.cleanCheck = Promise.resolve(true);
  }

  async head(): Promise<string> {
    if (this.known === null) {
      this.known = await gitText(['rev-parse', '--verify', `refs/heads/${this.branch}^{commit}`], { cwd: this.repoRoot });
      if (!this.logBroken) this.log ??= [{ at: this.known, track: null, files: Promise.resolve([]) }];
    }
    return this.known;
  }

  /** The position of `sha` among this session's heads (the latest), or null: unknown, ask git. */
  positionOf(sha: string): number | null {
    if (this.log === null) return null;
    for (let i = this.log.length - 1; i >= 0; i--) if (this.log[i]?.at === sha) return i;
    return null;
  }

  /**
   * The files landed after position `k` by other tracks than `track` (its own earlier tasks are in
   * its branch already), up to the current head; null when the log cannot tell (ask git).
   */
  async landedAfter(k: number, track: string): Promise<{ head: string; files: string[] } | null> {
    const log = this.log;
    if (log === null || this.known === null || log[log.length - 1]?.at !== this.known || k >= log.length) return null;
    const head = this.known;
    const steps = log.slice(k + 1).filter((s) => s.track !== track);
    const files = new Set<string>();
    for (const f of await Promise.all(steps.map((s) => s.files))) {
      if (f === null) return null;
      for (const p of f) files.add(p);
    }
    return { head, files: [...files].sort() };
  }

  /** A clean detached checkout of `sha` (whatever an earlier, interrupted landing left). */
  private async reset(sha: string): Promise<void> {
    await this.warm();
    await git(['merge', '--abort'], { cwd: this.dir, allowFail: true });
    await git(['checkout', '--quiet', '--force', '--detach', sha], { cwd: this.dir });
    await git(['reset', '--quiet', '--hard', sha], { cwd: this.dir });
    await git(['clean', '-fdq', ...LINKED_DIRS.flatMap((n) => ['-e', n])], { cwd: this.dir });
  }

  /**
   * Check `sha` out for verification. A worktree that is already clean (nothing modified or
   * untracked, no merge in progress: the usual case, verification commands rarely leave files)
   * needs only the checkout; anything else gets the full reset.
   */
  private async checkout(sha: string): Promise<void> {
    await this.warm();
    const pre = this.cleanCheck;
    this.cleanCheck = null;
    const clean = pre !== null ? await pre : await this.isClean();
    if (!clean) {
      await this.reset(sha);
      return;
    }
    await git(['checkout', '--quiet', '--force', '--detach', sha], { cwd: this.dir });
  }

  private async isClean(): Promise<boolean> {
    const gitDir = worktreeGitDir(this.dir);
    if (gitDir === null || fs.existsSync(path.join(gitDir, 'MERGE_HEAD'))) return false;
    const st = await git(['status', '--porcelain', '-z', '--untracked-files=all', '--', '.', ...LINKED_DIRS.map((n) => `:(exclude)${n}`)], { cwd: this.dir, allowFail: true });
    return st.code === 0 && st.stdout.length === 0;
  }

  /** Start checking, in the background, whether verification left the worktree clean. */
  private checkCleanLater(): void {
    this.cleanCheck = this.isClean().catch(() => false);
  }

  /**
   * Step 1: merge `head` onto the branch head (no ref moves) and check the result out for
   * verification (`mergeOnto`, then `prepare`).
   */
  async merge(head: string, message: string, base: string | null = null): Promise<MergeStep> {
    const old = await this.head();
    const m = await this.mergeOnto(old, head, message, base);
    if (m.kind === 'merged') await this.prepare(m.merged);
    return m;
  }

  /**
   * Merge `head` onto `onto` in the object database only: `git merge-base` tells an already-landed
   * head and a fast-forward from a real merge, which `git merge-tree --write-tree` computes
   * (conflicted paths listed, no worktree touched) and `git commit-tree` records with both parents,
   * as `git merge` would. `base`: the commit the task started from, when known — `head` descends
   * from it, so `base === onto` is a fast-forward without asking git. Otherwise the merge base and
   * the merge are computed at once (the merge is thrown away when the base says fast-forward).
   */
  async mergeOnto(onto: string, head: string, message: string, base: string | null = null): Promise<MergeStep> {
    const old = onto;
    if (old === head) return { kind: 'already', old };
    if (base === old) return { kind: 'merged', old, merged: head };
    const [mbr, mt] = await Promise.all([
      git(['merge-base', old, head], { cwd: this.repoRoot, allowFail: true }),
      git(['merge-tree', '--write-tree', '-z', '--name-only', '--no-messages', old, head], { cwd: this.repoRoot, allowFail: true }),
    ]);
    const mb = mbr.code === 0 ? mbr.stdout.toString('utf8').trim() : null;
    if (mb === head) return { kind: 'already', old };
    if (mb === old) return { kind: 'merged', old, merged: head }; // fast-forward, as `git merge` does by default
    const parts = mt.stdout.toString('utf8').split('\0');
    if (mt.code === 1) {
      const files = [...new Set(parts.slice(1).filter((p) => p !== ''))].sort();
      return { kind: 'conflict', old, files: files.length > 0 ? files : ['(merge failed)'] };
    }
    if (mt.code !== 0) throw new Error(`git merge-tree ${old.slice(0, 12)} ${head.slice(0, 12)} failed (exit ${mt.code}): ${mt.stderr.trim()}`);
    const tree = parts[0]?.trim() ?? '';
    const args = ['-c', 'commit.gpgsign=false', 'commit-tree', tree, '-p', old, '-p', head, '-m', message];
    let c = await git(args, { cwd: this.repoRoot, allowFail: true });
    if (c.code !== 0 && NO_IDENTITY.test(c.stderr)) c = await git(['-c', `user.name=${FALLBACK_IDENTITY.name}`, '-c', `user.email=${FALLBACK_IDENTITY.email}`, ...args], { cwd: this.repoRoot, allowFail: true });
    if (c.code !== 0) throw new Error(`git commit-tree for ${head.slice(0, 12)} failed: ${c.stderr.trim()}`);
    return { kind: 'merged', old, merged: c.stdout.toString('utf8').trim() };
  }

  /**
   * Steps 1 and 2 at once — merge `head` onto `old` and check the result out — as one `git merge`
   * in the integration worktree (merge-in-worktree.ts), when it is known clean and detached at
   * `old`; null when it is not (or git could not merge there): take `mergeOnto` and `prepare`.
   */
  async mergeHere(old: string, head: string, message: string): Promise<MergeStep | null> {
    if (old === head) return { kind: 'already', old };
    await this.warm();
    const pre = this.cleanCheck;
    const gitDir = worktreeGitDir(this.dir);
    if (pre === null || gitDir === null || !(await pre) || this.cleanCheck !== pre || detachedHeadOf(gitDir) !== old) return null;
    this.cleanCheck = null;
    const m = await mergeInWorktree(this.dir, gitDir, old, head, message);
    // After a conflict (aborted) or a failure the worktree is checked again before its next use.
    if (m === null || m.kind === 'conflict') this.checkCleanLater();
    return m;
  }

  /** Step 2: check `merged` out in the integration worktree, for the verification commands. */
  async prepare(merged: string): Promise<void> {
    await this.checkout(merged);
  }

  /** Step 3 (after green verification): move the branch, only if nobody else moved it. */
  async keep(merged: string, old: string, steps: LogStep[] = []): Promise<void> {
    const r = await git(['update-ref', '-m', 'runr orchestrate: land', `refs/heads/${this.branch}`, merged, old], { cwd: this.repoRoot, allowFail: true });
    if (r.code !== 0) {
      this.known = null;
      this.log = null;
      this.logBroken = true;
      const now = await this.head().catch(() => null);
      if (now !== null && now !== old) throw new IntegrationMoved(`${this.branch} moved to ${now.slice(0, 12)} (expected ${old.slice(0, 12)})`);
      throw new Error(`git update-ref ${this.branch} failed (exit ${r.code}): ${r.stderr.trim()}`);
    }
    if (this.log !== null && this.log[this.log.length - 1]?.at === old && steps.length > 0 && steps[steps.length - 1]?.at === merged) this.log.push(...steps);
    else {
      this.log = null;
      this.logBroken = true;
    }
    this.known = merged;
    this.checkCleanLater();
  }

  /** Step 3 (red): back to the old head; the branch never moved. */
  async discard(old: string): Promise<void> {
    await this.reset(old);
    this.checkCleanLater();
  }

  async remove(): Promise<void> {
    if (this.ready === null && this.makeIn !== null) return; // never made
    await this.warm().catch(() => undefined);
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
