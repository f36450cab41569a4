/**
 * The one git runner: every git process runr starts goes through `gitInvocation` here, so a
 * setting that must hold for all of them (e.g. `-c core.hooksPath=… -c core.fsmonitor=false`) is
 * added in one place. Argv arrays only (never a shell string: paths and refs come from users and
 * workers). Output stays a Buffer so NUL-separated listings (`-z`) are parsed exactly.
 */
import { spawn, spawnSync } from 'node:child_process';
import { StateError } from '../core/errors.js';
import { pinnedConfig } from './pins.js';

export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

export interface GitOptions {
  cwd: string;
  input?: string | Buffer;
  env?: Record<string, string>;
  /** Return the result instead of throwing on a non-zero exit. */
  allowFail?: boolean;
  /** Hooks directory for this command (default: none run; see pins.ts). */
  hooksPath?: string;
}

export class GitError extends StateError {
  override readonly name = 'GitError';
  constructor(
    readonly args: readonly string[],
    readonly code: number,
    readonly stderr: string,
  ) {
    super(`git ${args.join(' ')} failed (exit ${code})${stderr.trim() === '' ? '' : `: ${stderr.trim().split('\n').slice(-3).join(' | ')}`}`);
  }
}

/** Fixed environment: no prompts, stable messages, no optional index locks while we only read. */
const BASE_ENV = { GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', GIT_OPTIONAL_LOCKS: '0' };

/** The argv and environment of a git call: the single choke point for every runr git process. */
export function gitInvocation(args: readonly string[], env: Record<string, string> | undefined, hooksPath?: string): { argv: string[]; env: NodeJS.ProcessEnv } {
  return { argv: [...pinnedConfig(hooksPath), ...args], env: { ...process.env, ...BASE_ENV, ...env } };
}

/** Starts a git process from elsewhere (spawn-thread.ts: a worker thread); null: directly. */
export type GitSpawner = (argv: string[], cwd: string, env: NodeJS.ProcessEnv, input: string | Buffer) => Promise<GitResult>;
let spawner: GitSpawner | null = null;

/** Route every `git()` of this process through `s` (the orchestrator's git thread), or back (null). */
export function setGitSpawner(s: GitSpawner | null): void {
  spawner = s;
}

export function git(args: readonly string[], opts: GitOptions): Promise<GitResult> {
  const inv = gitInvocation(args, opts.env, opts.hooksPath);
  if (spawner !== null) {
    return spawner(inv.argv, opts.cwd, inv.env, opts.input ?? '').then((result) => {
      if (result.code !== 0 && opts.allowFail !== true) throw new GitError(args, result.code, result.stderr);
      return result;
    });
  }
  return new Promise((resolve, reject) => {
    const child = spawn('git', inv.argv, {
      cwd: opts.cwd,
      env: inv.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.stdin.on('error', () => undefined);
    child.on('error', (e) => reject(new StateError(`could not run git: ${e.message}`)));
    child.on('close', (code) => {
      const result: GitResult = { code: code ?? 128, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') };
      if (result.code !== 0 && opts.allowFail !== true) reject(new GitError(args, result.code, result.stderr));
      else resolve(result);
    });
    child.stdin.end(opts.input ?? '');
  });
}

export async function gitText(args: readonly string[], opts: GitOptions): Promise<string> {
  return (await git(args, opts)).stdout.toString('utf8').trim();
}

/**
 * Synchronous git, for the few callers that cannot await (doctor's checks, building a demo
 * repository, the tracking report). Never throws: a git that cannot start is exit 128 with the
 * reason as stderr; `ok` says exit 0.
 */
export function gitSync(args: readonly string[], opts: Omit<GitOptions, 'allowFail'>): GitResult & { ok: boolean } {
  const inv = gitInvocation(args, opts.env, opts.hooksPath);
  const r = spawnSync('git', inv.argv, { cwd: opts.cwd, env: inv.env, maxBuffer: 512 * 1024 * 1024, input: opts.input ?? '' });
  const code = r.status ?? 128;
  const stderr = r.error !== undefined ? r.error.message : r.stderr.toString('utf8');
  return { ok: r.status === 0, code, stdout: r.stdout ?? Buffer.alloc(0), stderr };
}

/** `gitSync` with stdout as text. */
export function gitSyncText(args: readonly string[], opts: Omit<GitOptions, 'allowFail'>): { ok: boolean; code: number; stdout: string; stderr: string } {
  const r = gitSync(args, opts);
  return { ok: r.ok, code: r.code, stdout: r.stdout.toString('utf8'), stderr: r.stderr };
}
