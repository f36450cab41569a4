/**
 * A throwaway repository with one commit on `main` (a.txt), and a commit on a new branch, for the
 * tests of the orchestrator's git plumbing (merge-here, git-thread). Each repository's directory is
 * pushed on `dirs`, which the test's afterEach removes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { git, writeFile } from './helpers.js';

export function gitRepo(dirs: string[], prefix: string, text: string): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  dirs.push(dir);
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['config', 'user.email', 't@t']);
  git(dir, ['config', 'user.name', 't']);
  writeFile(dir, 'a.txt', text);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'base']);
  return dir;
}

/** Commit `file` = `text` on a new branch from `from`, back on main after; the commit's sha. */
export function commitOn(dir: string, branch: string, from: string, file: string, text: string): string {
  git(dir, ['switch', '-q', '-c', branch, from]);
  writeFile(dir, file, text);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', `${branch}: ${file}`]);
  const sha = git(dir, ['rev-parse', 'HEAD']).trim();
  git(dir, ['switch', '-q', 'main']);
  return sha;
}
