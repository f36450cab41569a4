/**
 * The scope guard (DESIGN §6): what changed in the work directory — changed and untracked files
 * from NUL-separated `git status` (both sides of renames), minus runr's own paths and files that
 * were already dirty at the start and are unchanged (`--allow-dirty`) — checked against denylist,
 * lockfiles and allowlist; plus symlinks that point outside the work directory and any change
 * under `.git/` (hooks, config, info).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { checkPaths } from '../core/tasks/scope.js';
import { outsideOwns } from '../core/orchestrate/collide.js';
import type { Violation } from '../core/tasks/state.js';
import { changedPaths, status } from '../git/status.js';
import type { TaskRunContext } from './context.js';

export interface GuardResult {
  changed: string[];
  violations: Violation[];
}

export function contentHash(abs: string): string | null {
  try {
    const st = fs.lstatSync(abs);
    if (st.isSymbolicLink()) return `link:${fs.readlinkSync(abs)}`;
    if (!st.isFile()) return null;
    return createHash('sha256').update(fs.readFileSync(abs)).digest('hex');
  } catch {
    return null;
  }
}

/** Changed files, minus runr's own paths and untouched pre-existing dirt. */
export async function changedFiles(ctx: Pick<TaskRunContext, 'workDir' | 'ownPaths' | 'info'>): Promise<string[]> {
  const entries = await status(ctx.workDir, ctx.ownPaths);
  const baseline = new Map(ctx.info.baseline_dirty.map((b) => [b.path, b.sha256]));
  return changedPaths(entries).filter((p) => {
    if (ctx.ownPaths.some((own) => p === own || p.startsWith(`${own}/`))) return false;
    if (!baseline.has(p)) return true;
    return contentHash(path.join(ctx.workDir, p)) !== baseline.get(p);
  });
}

/** A symlink whose target resolves outside the work directory. */
export function symlinkEscapes(workDir: string, rel: string): string | null {
  const abs = path.join(workDir, rel);
  let st: fs.Stats;
  try {
    st = fs.lstatSync(abs);
  } catch {
    return null;
  }
  if (!st.isSymbolicLink()) return null;
  const target = fs.readlinkSync(abs);
  const resolved = path.resolve(path.dirname(abs), target);
  const root = fs.realpathSync(workDir);
  let real: string;
  try {
    real = fs.realpathSync(resolved);
  } catch {
    // Dangling: judge the literal target (it may be created later, outside).
    real = path.resolve(root, path.relative(workDir, resolved));
  }
  return real === root || real.startsWith(root + path.sep) ? null : target;
}

export async function runGuard(ctx: TaskRunContext): Promise<GuardResult> {
  const changed = await changedFiles(ctx);
  ctx.lastChanged = changed;
  const violations = checkPaths(changed, ctx.matcher);
  const flagged = new Set(violations.map((v) => v.path));
  for (const p of changed) {
    if (flagged.has(p)) continue;
    const target = symlinkEscapes(ctx.workDir, p);
    if (target !== null) violations.push({ path: p, rule: 'symlink_escape', detail: `points outside the worktree (${target.startsWith('/') ? 'an absolute path' : target})` });
  }
  // The task's `owns:` front matter: anything else it changed belongs to someone else.
  for (const p of outsideOwns(changed, ctx.task.owns)) {
    if (!flagged.has(p)) violations.push({ path: p, rule: 'ownership', detail: `outside owns: ${ctx.task.owns.join(', ')}` });
  }
  return { changed, violations };
}
