/** Synchronous git facts for doctor and init: is this a work tree, which paths would be ignored. */
import { gitSyncText } from './exec.js';

export function isGitRepo(cwd: string): boolean {
  return gitSyncText(['rev-parse', '--is-inside-work-tree'], { cwd }).stdout.trim() === 'true';
}

/** Which of `paths` git would ignore (paths need not exist). */
export function checkIgnored(cwd: string, paths: string[]): Set<string> {
  if (paths.length === 0) return new Set();
  const r = gitSyncText(['check-ignore', '--no-index', '-z', '--stdin'], { cwd, input: paths.join('\0') + '\0' });
  return new Set(r.stdout.split('\0').filter((s) => s !== ''));
}
