/**
 * Run git with an argv array (never a shell string: paths and refs come from users and workers).
 * Output stays a Buffer so NUL-separated listings (`-z`) are parsed exactly.
 */
import { spawn } from 'node:child_process';
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

export function git(args: readonly string[], opts: GitOptions): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...pinnedConfig(opts.hooksPath), ...args], {
      cwd: opts.cwd,
      env: { ...process.env, ...BASE_ENV, ...opts.env },
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
