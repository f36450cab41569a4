/** The few git facts init/doctor/audit need, through argv arrays only. */
import { spawnSync } from 'node:child_process';
import { pinnedConfig } from '../git/pins.js';

export interface GitResult {
  ok: boolean;
  stdout: string;
  stderr: string;
  status: number | null;
}

export function git(cwd: string, args: string[], input?: string): GitResult {
  const r = spawnSync('git', [...pinnedConfig(), ...args], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...(input !== undefined ? { input } : {}) });
  return { ok: r.status === 0, stdout: r.stdout ?? '', stderr: r.stderr ?? '', status: r.status };
}

export function isGitRepo(cwd: string): boolean {
  return git(cwd, ['rev-parse', '--is-inside-work-tree']).stdout.trim() === 'true';
}

/** Which of `paths` git would ignore (paths need not exist). */
export function checkIgnored(cwd: string, paths: string[]): Set<string> {
  if (paths.length === 0) return new Set();
  const r = git(cwd, ['check-ignore', '--no-index', '-z', '--stdin'], paths.join('\0') + '\0');
  return new Set(r.stdout.split('\0').filter((s) => s !== ''));
}
