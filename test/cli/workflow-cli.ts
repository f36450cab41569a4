/** Helpers for CLI tests of workflow runs: spawn the built runr in a temp git repo. */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const REPO = path.resolve(__dirname, '../..');
export const BIN = path.join(REPO, 'bin', 'runr.js');
export const ESY = path.resolve(REPO, '../shared/fixtures/esy-visual-essay');

export interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runr(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Result {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function runrAsync(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Result> {
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
export function esyRepo(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runr-cli-'));
  spawnSync('git', ['init', '-q'], { cwd: dir });
  fs.mkdirSync(path.join(dir, 'orchestration/gates'), { recursive: true });
  fs.cpSync(path.join(ESY, 'contracts'), path.join(dir, 'orchestration/gates/contracts'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'orchestration/runner/workflows'), { recursive: true });
  fs.copyFileSync(path.join(ESY, 'workflows/visual-essay.json'), path.join(dir, 'orchestration/runner/workflows/visual-essay.json'));
  return dir;
}

export function put(root: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
}
