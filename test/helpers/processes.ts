/**
 * Real processes in e2e tests (shared by test/supervise and test/tasks/liveness): async spawns of
 * the built CLI (killed by `killSpawned` after each test), a poll-until helper for test set-up
 * (never for timing assertions), pid checks, and the scripted worker as a child process.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, runrBin } from './cli.js';

export interface Spawned {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  stdout(): string;
}

const children: ChildProcess[] = [];

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Start the built CLI without waiting for it (stdout/stderr collected). */
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

/** SIGKILL every `spawnRunr` child still running (call from afterEach). */
export function killSpawned(): void {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

/** Thrown from a `waitFor` probe: stop waiting at once (e.g. the process it waits on exited). */
export class GiveUp extends Error {}

/** Poll `fn` until it returns a truthy value (set-up only; generous bound for a loaded machine). */
export async function waitFor<T>(what: string, fn: () => T | undefined | null | false, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    let v: T | undefined | null | false;
    try {
      v = fn();
    } catch (err) {
      if (err instanceof GiveUp) throw err;
      v = undefined;
    }
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** The one run in a test repository (optionally: give up if `child` exited before it appeared). */
export function onlyRunId(dir: string, child?: ChildProcess): string | undefined {
  if (child !== undefined && child.exitCode !== null) throw new GiveUp(`runr exited ${child.exitCode} before the run appeared`);
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

/** The scripted worker as a real child process (its own process group), reading the worktree's copy of the script. */
export function processWorker(extra: Record<string, unknown> = {}) {
  return { agent: { adapter: 'command', command: process.execPath, args: [path.join(repoRoot, 'dist', 'workers', 'scripted-main.js'), '.runr/script.json'], ...extra } };
}
