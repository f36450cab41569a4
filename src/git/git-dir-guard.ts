/**
 * Changes under `.git/` are never shown by `git status`, yet a worker that edits a hook or the
 * config gets code run by the next git command (or by the user). So the scope guard fingerprints
 * the parts of the git directories that execute or configure — hooks, config, info — before a
 * worker runs and compares after. Content hashes, not mtimes: restoring an mtime must not hide an edit.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';

export type GitDirFingerprint = Map<string, string>;

function hashFile(file: string): string {
  const st = fs.lstatSync(file);
  if (st.isSymbolicLink()) return `link:${fs.readlinkSync(file)}`;
  return `${st.mode.toString(8)}:${createHash('sha256').update(fs.readFileSync(file)).digest('hex')}`;
}

function walk(dir: string, display: string, out: GitDirFingerprint, depth = 0): void {
  let names: fs.Dirent[];
  try {
    names = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const d of names) {
    const abs = path.join(dir, d.name);
    const shown = `${display}/${d.name}`;
    if (d.isDirectory() && depth < 4) walk(abs, shown, out, depth + 1);
    // git never runs `*.sample` hooks: their presence and size are enough (activating one means a
    // new file name, which is seen). Skipping their content saves reading ~15 files per IMPLEMENT.
    else if (!d.isDirectory() && d.name.endsWith('.sample')) out.set(shown, `sample:${fs.lstatSync(abs).size}`);
    else if (!d.isDirectory()) out.set(shown, hashFile(abs));
  }
}

function file(abs: string, shown: string, out: GitDirFingerprint): void {
  try {
    out.set(shown, hashFile(abs));
  } catch {
    // absent: absence is part of the fingerprint
  }
}

/** Fingerprint hooks/, info/, config (common dir) and the worktree's own config and `.git` file. */
export function fingerprintGitDirs(opts: { commonDir: string; gitDir: string; worktreeRoot: string }): GitDirFingerprint {
  const out: GitDirFingerprint = new Map();
  walk(path.join(opts.commonDir, 'hooks'), '.git/hooks', out);
  walk(path.join(opts.commonDir, 'info'), '.git/info', out);
  file(path.join(opts.commonDir, 'config'), '.git/config', out);
  file(path.join(opts.commonDir, 'config.worktree'), '.git/config.worktree', out);
  if (path.resolve(opts.gitDir) !== path.resolve(opts.commonDir)) {
    const rel = path.relative(opts.commonDir, opts.gitDir).split(path.sep).join('/');
    file(path.join(opts.gitDir, 'config.worktree'), `.git/${rel}/config.worktree`, out);
    // In a linked worktree `.git` is a file pointing at the git dir; repointing it is a change too.
    file(path.join(opts.worktreeRoot, '.git'), '.git', out);
  }
  return out;
}

/** Paths whose fingerprint differs (added, removed or changed). */
export function diffFingerprints(before: GitDirFingerprint, after: GitDirFingerprint): string[] {
  const out = new Set<string>();
  for (const [k, v] of before) if (after.get(k) !== v) out.add(k);
  for (const k of after.keys()) if (!before.has(k)) out.add(k);
  return [...out].sort();
}
