/**
 * The workflow-run CLI tests' calling convention (`runr(cwd, args)`), over the shared helpers in
 * test/helpers/cli.ts, plus an async spawn for tests that act while a run waits.
 */
import { spawn } from 'node:child_process';
import { fixtureDir, makeRepo, repoRoot, runr as runrSync, runrBin, writeFile } from '../helpers/cli.js';

export const REPO = repoRoot;
export const BIN = runrBin;
export const ESY = fixtureDir;

export interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runr(cwd: string, args: string[], env: Record<string, string> = {}): Result {
  return runrSync(args, { cwd, env });
}

export function runrAsync(cwd: string, args: string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

export function json<T = Record<string, unknown>>(r: Result): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON (exit ${r.status}):\n${r.stdout}\n--- stderr:\n${r.stderr}`);
  }
}

/** A temp git repo holding the original tool's workflow and contracts in their original places. */
export const esyRepo = (): string => makeRepo();

export function put(root: string, rel: string, text: string): void {
  writeFile(root, rel, text);
}
