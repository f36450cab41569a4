/**
 * Checkpoint commits: exactly the files the scope guard approved are staged (literal pathspecs fed
 * NUL-separated on stdin, so no name is ever parsed as an option or a glob), and the message ends
 * with `Runr-Run:` / `Runr-Milestone:` trailers — the only place a checkpoint is recorded in the
 * repository (no sidecar files in the tree). `--no-verify` skips pre-commit and commit-msg; the
 * other hooks run only from `hooksPath`, the directory the guard fingerprinted (pins.ts).
 */
import { git, GitError, gitText } from './exec.js';
import { headFromFiles } from './repo.js';

export interface CheckpointTrailers {
  run: string;
  milestone: string;
}

export function checkpointMessage(subject: string, body: string, t: CheckpointTrailers): string {
  const s = subject.replace(/\s+/g, ' ').trim().slice(0, 72) || 'checkpoint';
  return `${s}\n\n${body.trim() === '' ? '' : `${body.trim()}\n\n`}Runr-Run: ${t.run}\nRunr-Milestone: ${t.milestone}\n`;
}

export function parseTrailers(message: string): Partial<CheckpointTrailers> {
  const run = /^Runr-Run:\s*(\S+)\s*$/m.exec(message)?.[1];
  const milestone = /^Runr-Milestone:\s*(\S+)\s*$/m.exec(message)?.[1];
  return { ...(run !== undefined ? { run } : {}), ...(milestone !== undefined ? { milestone } : {}) };
}

/** HEAD's sha and checkpoint trailers (if any). */
export async function headCheckpoint(cwd: string): Promise<{ sha: string; trailers: Partial<CheckpointTrailers> }> {
  const out = (await git(['log', '-1', '--format=%H%x00%B', 'HEAD'], { cwd })).stdout.toString('utf8');
  const nul = out.indexOf('\0');
  return { sha: out.slice(0, nul).trim(), trailers: parseTrailers(out.slice(nul + 1)) };
}

export interface CommitOptions {
  /** Repository-relative paths to stage (additions, modifications, deletions, both sides of renames). */
  paths: readonly string[];
  message: string;
  /** For reading the new HEAD from the files instead of spawning `git rev-parse`. */
  gitDir?: string;
  commonDir?: string;
  /** Hooks directory for the commit (default: none; see pins.ts). */
  hooksPath?: string;
}

/** Used when the repository has no identity configured (CI machines, fresh containers). */
export const FALLBACK_IDENTITY = { name: 'runr', email: 'runr@localhost' } as const;
const NO_IDENTITY = /tell me who you are|unable to auto-detect email|empty ident name/i;

export async function commitCheckpoint(cwd: string, opts: CommitOptions): Promise<string> {
  const literal = { GIT_LITERAL_PATHSPECS: '1' };
  if (opts.paths.length > 0) {
    await git(['add', '-A', '--pathspec-from-file=-', '--pathspec-file-nul'], { cwd, input: `${opts.paths.join('\0')}\0`, env: literal });
  }
  const hooks = opts.hooksPath !== undefined ? { hooksPath: opts.hooksPath } : {};
  const commit = (id: string[]) => git([...id, '-c', 'commit.gpgsign=false', 'commit', '--quiet', '--no-verify', '--allow-empty', '-F', '-'], { cwd, input: opts.message, env: literal, allowFail: true, ...hooks });
  let r = await commit([]);
  // Asking git whether an identity exists costs a spawn on every run; failing first costs one only where none exists.
  if (r.code !== 0 && NO_IDENTITY.test(r.stderr)) r = await commit(['-c', `user.name=${FALLBACK_IDENTITY.name}`, '-c', `user.email=${FALLBACK_IDENTITY.email}`]);
  if (r.code !== 0) throw new GitError(['commit'], r.code, r.stderr);
  const fromFiles = opts.gitDir !== undefined && opts.commonDir !== undefined ? headFromFiles(opts.gitDir, opts.commonDir) : null;
  return fromFiles ?? gitText(['rev-parse', '--verify', 'HEAD'], { cwd });
}

/** Commits on `rev` (newest first) carrying `Runr-Run: <runId>`, with their milestone trailer. */
export async function checkpointsOnBranch(cwd: string, rev: string, runId: string): Promise<Array<{ sha: string; milestone: string | null }>> {
  const r = await git(['log', '-z', '--format=%H%x00%B', `--grep=^Runr-Run: ${runId}$`, rev], { cwd, allowFail: true });
  if (r.code !== 0) return [];
  const parts = r.stdout.toString('utf8').split('\0');
  const out: Array<{ sha: string; milestone: string | null }> = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const sha = (parts[i] ?? '').trim();
    if (sha === '') continue;
    out.push({ sha, milestone: parseTrailers(parts[i + 1] ?? '').milestone ?? null });
  }
  return out;
}
