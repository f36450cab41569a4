/**
 * Helpers for the supervision tests: async spawns of the built CLI (killed after each test), a
 * poll-until helper for test set-up (never for timing assertions), process checks.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { removeRepo, repoRoot, runrBin } from '../helpers/cli.js';

export { baseConfig, checkpointCommits, json, makeTaskRepo, readRecord, runrIn, TWO_MILESTONES, writeFile, sh } from '../tasks/helpers.js';
export type { Json } from '../tasks/helpers.js';
export { repoRoot };

export interface Spawned {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  stdout(): string;
}

const dirs: string[] = [];
const children: ChildProcess[] = [];
const pids: number[] = [];

/** Register a directory and pids (e.g. detached supervisors) to clean up after the test. */
export function track(dir: string): string {
  dirs.push(dir);
  return dir;
}

export function trackPid(pid: number): void {
  pids.push(pid);
}

export async function cleanup(): Promise<void> {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  // Detached supervisors of runs in these directories (their pids are in the run locks).
  for (const d of dirs) {
    const runs = path.join(d, '.runr', 'runs');
    if (!fs.existsSync(runs)) continue;
    for (const id of fs.readdirSync(runs).filter((n) => n.startsWith('run_'))) {
      for (const f of ['run.lock', 'worker.pid']) {
        try {
          const info = JSON.parse(fs.readFileSync(path.join(runs, id, 'logs', f), 'utf8')) as { pid: number };
          pids.push(info.pid);
        } catch {
          // no lock: nothing running
        }
      }
    }
  }
  for (const pid of pids.splice(0)) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
  await sleep(50);
  for (const d of dirs.splice(0)) removeRepo(d);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function spawnRunr(dir: string, args: string[], env: Record<string, string> = {}): Spawned {
  const child = spawn(process.execPath, [runrBin, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done, stdout: () => stdout };
}

/** Poll `fn` until it returns a truthy value (set-up only; generous bound for a loaded machine). */
export async function waitFor<T>(what: string, fn: () => T | undefined | null | false, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    let v: T | undefined | null | false;
    try {
      v = fn();
    } catch {
      v = undefined;
    }
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

export function onlyRunId(dir: string): string | undefined {
  const runs = path.join(dir, '.runr', 'runs');
  return fs.existsSync(runs) ? fs.readdirSync(runs).find((n) => n.startsWith('run_')) : undefined;
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The scripted worker as a real child process (its own process group). */
export function processWorker(extra: Record<string, unknown> = {}) {
  return { agent: { adapter: 'command', command: process.execPath, args: [path.join(repoRoot, 'dist', 'workers', 'scripted-main.js'), '.runr/script.json'], ...extra } };
}

/** Lines of JSON on stdout. */
export function jsonLines(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
