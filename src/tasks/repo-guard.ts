/**
 * The repository guard around every worker call and verification round (docs/security.md): what
 * a worker must not touch is fingerprinted before and compared after (src/git/repo-fingerprint.ts);
 * each difference is a `guard_violation` naming it. Files are compared first, with no git command
 * (a planted core.fsmonitor or hook must not run inside the check), and put back where that is
 * safe: a planted hook or a changed config is moved to `logs/quarantine/` and the original bytes
 * are restored; a moved or deleted ref is set back (the worker's commit stays reachable by its sha,
 * named in the violation). Created refs, global config and the main checkout are reported only.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Violation } from '../core/tasks/state.js';
import { git } from '../git/exec.js';
import type { FileFingerprint, FingerprintScope, MainFingerprint, RefFingerprint } from '../git/repo-fingerprint.js';
import { diffFiles, diffMaps, effectiveHooksDir, fingerprintFiles, fingerprintMain as gitMain, fingerprintRefs, ownPathsSmall } from '../git/repo-fingerprint.js';
import { refStamp } from '../git/ref-stamp.js';
import type { TaskRunContext } from './context.js';

const MAX_LISTED = 50;

export interface RepoSnapshot {
  files: FileFingerprint;
  refs: RefFingerprint;
  /** The ref files as they were when `refs` was listed (git/ref-stamp.ts); null: unknown, ask git. */
  refsStamp: string | null;
  /** Null when working in place (the main checkout is the work directory, judged by the scope guard). */
  main: MainFingerprint | null;
}

type GuardCtx = Pick<TaskRunContext, 'repoRoot' | 'workDir' | 'commonDir' | 'gitDir' | 'hooksDir' | 'info' | 'ownPaths' | 'logsDir' | 'ignoreRefs' | 'guardCarry'>;

export function scopeOf(ctx: GuardCtx): FingerprintScope {
  return { commonDir: ctx.commonDir, gitDir: ctx.gitDir, workDir: ctx.workDir, hooksDir: ctx.hooksDir, repoRoot: ctx.repoRoot };
}

/**
 * The repository before a guarded effect. The git files are always read again (no git command);
 * the refs and the main checkout come from the last clean check when the loop kept it
 * (`ctx.guardCarry`: the previous guarded effect ended a moment ago and runr changed nothing git
 * tracks since), else from git: 3 git processes fewer per guarded effect. A change made in between
 * (by a process the worker left behind, say) is then seen by the next check instead of being
 * taken for the starting point.
 */
export async function snapshotRepo(ctx: GuardCtx): Promise<RepoSnapshot> {
  const files = fingerprintFiles(scopeOf(ctx));
  const carry = ctx.guardCarry;
  ctx.guardCarry = null;
  if (carry !== null && (carry.main === null) === ctx.info.git.in_place) return { files, ...carry };
  const [refs, main] = await Promise.all([listRefs(ctx), ctx.info.git.in_place ? Promise.resolve(null) : fingerprintMain(ctx)]);
  return { files, refs: refs.refs, refsStamp: refs.stamp, main };
}

/** The main checkout's fingerprint: one git process when runr's own paths are small (repo-fingerprint.ts). */
function fingerprintMain(ctx: GuardCtx): Promise<MainFingerprint> {
  return gitMain(ctx.repoRoot, ctx.ownPaths, ownPathsSmall(ctx.repoRoot, ctx.ownPaths));
}

/**
 * `git for-each-ref`, with the stamp of the ref files taken before and after it: the stamp is kept
 * only when the files did not change while git read them, so an equal stamp later means git would
 * list exactly `refs` again.
 */
async function listRefs(ctx: GuardCtx): Promise<{ refs: RefFingerprint; stamp: string | null }> {
  const before = refStamp(ctx.repoRoot, ctx.commonDir);
  const refs = await fingerprintRefs(ctx.repoRoot, ctx.info.git.branch, ctx.ignoreRefs);
  const after = before === null ? null : refStamp(ctx.repoRoot, ctx.commonDir);
  return { refs, stamp: before !== null && before === after ? before : null };
}

function quarantine(ctx: GuardCtx, abs: string, name: string): string | null {
  const dest = path.join(ctx.logsDir, 'quarantine', `${Date.now()}`, name.replace(/^[~/]+/, ''));
  try {
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    try {
      fs.renameSync(abs, dest);
    } catch {
      fs.cpSync(abs, dest, { recursive: true, verbatimSymlinks: true });
      fs.rmSync(abs, { recursive: true, force: true });
    }
    return path.relative(ctx.repoRoot, dest).split(path.sep).join('/');
  } catch {
    return null;
  }
}

/** Compare the git files with `before`, restoring what is safe. No git command runs here. */
export function checkFiles(ctx: GuardCtx, before: FileFingerprint, why = 'changed by the worker'): Violation[] {
  const after = fingerprintFiles(scopeOf(ctx));
  const out: Violation[] = [];
  for (const name of diffFiles(before, after)) {
    const b = before.get(name);
    const a = after.get(name);
    const restorable = (b ?? a)?.restorable === true;
    let detail = `${b === undefined ? 'added' : a === undefined ? 'removed' : why}; changes to git's files are never allowed`;
    if (restorable) {
      const moved = a !== undefined ? quarantine(ctx, a.abs, name) : null;
      if (b === undefined) detail += moved !== null ? ` (moved to ${moved})` : ' (could not be moved away)';
      else if (b.keep !== null) {
        try {
          fs.writeFileSync(b.abs, b.keep.bytes, { mode: b.keep.mode });
          fs.chmodSync(b.abs, b.keep.mode);
          detail += `; restored${moved !== null ? ` (the worker's version is in ${moved})` : ''}`;
        } catch {
          detail += '; could not be restored';
        }
      }
    }
    out.push({ path: name, rule: 'git_dir', detail });
  }
  return out;
}

/**
 * The refs against `before`, restoring moved and deleted ones. When git's files were unchanged (no
 * `filesClean`: a changed config may change how git reads refs) and the ref files' stamp is the one
 * `before` was listed at, git would list `before` again: no git command.
 */
async function checkRefs(ctx: GuardCtx, before: RepoSnapshot, filesClean: boolean, seen: { refs?: RefFingerprint; stamp?: string | null }): Promise<Violation[]> {
  const now = filesClean && before.refsStamp !== null ? refStamp(ctx.repoRoot, ctx.commonDir) : null;
  const listed = now !== null && now === before.refsStamp ? { refs: before.refs, stamp: now } : await listRefs(ctx);
  seen.refs = listed.refs;
  seen.stamp = listed.stamp;
  const out: Violation[] = [];
  for (const d of diffMaps(before.refs, listed.refs)) {
    let detail: string;
    if (d.before === null) detail = `created at ${d.after} (left in place)`;
    else {
      const r = await git(['update-ref', '-m', 'runr: a worker moved this ref; restored', d.name, d.before, d.after ?? ''], { cwd: ctx.repoRoot, allowFail: true });
      const what = d.after === null ? 'deleted' : `moved from ${d.before} to ${d.after}`;
      detail = `${what}; ${r.code === 0 ? `restored to ${d.before}` : 'could not be restored'}`;
    }
    out.push({ path: d.name, rule: 'ref', detail: `${detail}; only runr's checkpoints may move refs` });
  }
  return out;
}

function checkMain(before: MainFingerprint, after: MainFingerprint): Violation[] {
  const changed = diffMaps(before, after);
  const out: Violation[] = changed.slice(0, MAX_LISTED).map((d) => ({ path: d.name, rule: 'main_checkout' as const, detail: 'changed in the main checkout, outside the worktree (not restored)' }));
  if (changed.length > MAX_LISTED) out.push({ path: `(${changed.length - MAX_LISTED} more)`, rule: 'main_checkout', detail: 'more files changed in the main checkout' });
  return out;
}

/** Everything that changed since `before`; restores what is safe. */
export async function checkRepo(ctx: GuardCtx, before: RepoSnapshot): Promise<Violation[]> {
  ctx.guardCarry = null;
  const files = checkFiles(ctx, before.files);
  // A worktree `.git` that could not be put back: git commands there would obey the worker's files.
  if (files.some((v) => v.path === '.git' && !/restored/.test(v.detail ?? ''))) return files;
  const seen: { refs?: RefFingerprint; stamp?: string | null } = {};
  const refs = await checkRefs(ctx, before, files.length === 0, seen);
  const mainAfter = before.main === null ? null : await fingerprintMain(ctx);
  const main = before.main === null || mainAfter === null ? [] : checkMain(before.main, mainAfter);
  const all = [...files, ...refs, ...main];
  // Clean: what git said now is where the next guarded effect starts, if the loop keeps it.
  if (all.length === 0 && seen.refs !== undefined) ctx.guardCarry = { refs: seen.refs, refsStamp: seen.stamp ?? null, main: mainAfter };
  return all;
}

export function violationSummary(violations: readonly Violation[]): string {
  return violations.map((v) => `${v.path} (${v.rule})`).join(', ');
}

/** At the start of a session: which hooks directory is the user's, and the git files as they are. */
export async function armGuard(ctx: TaskRunContext): Promise<void> {
  ctx.hooksDir = await effectiveHooksDir(ctx.workDir, ctx.commonDir);
  ctx.sessionFiles = fingerprintFiles(scopeOf(ctx));
}
