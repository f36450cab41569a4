/** Asynchronous spawns of the built CLI, for tests that run several processes at once or kill them. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { RunrResult } from '../helpers/cli.js';
import { runrBin } from '../helpers/cli.js';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Run the CLI without blocking the event loop (so several can run at once). */
export function runrAsync(args: readonly string[], opts: { cwd: string; env?: Record<string, string> }): Promise<RunrResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [runrBin, ...args], {
      cwd: opts.cwd,
      env: { ...process.env, NO_COLOR: '1', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

export interface KillOutcome {
  /** The process was still running when SIGKILL was sent (and died of it). */
  killed: boolean;
  status: number | null;
  stderr: string;
}

/**
 * When to send SIGKILL: `delayMs` after the start, or — with `when` — `delayMs` after a file whose
 * name matches `when.name` appears in `when.dir` (e.g. the writer lock: the process is then inside
 * its write section). Not killed if it exits first.
 */
export interface KillPlan {
  delayMs: number;
  when?: { dir: string; name: RegExp };
}

/** Start the CLI and SIGKILL it as planned unless it has already exited. */
export function runrKill(args: readonly string[], cwd: string, plan: KillPlan): Promise<KillOutcome> {
  return new Promise((resolve, reject) => {
    let watcher: fs.FSWatcher | null = null;
    let timer: NodeJS.Timeout | undefined;
    const child = spawn(process.execPath, [runrBin, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
    const arm = () => {
      timer ??= setTimeout(() => child.kill('SIGKILL'), plan.delayMs);
    };
    const when = plan.when;
    if (when === undefined) arm();
    else {
      watcher = fs.watch(when.dir, (_event, name) => {
        if (name !== null && when.name.test(name)) arm();
      });
    }
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      watcher?.close();
      resolve({ killed: signal === 'SIGKILL', status, stderr });
    });
  });
}

/** Wall time of one successful run of the CLI (ms). */
export async function timeRunr(args: readonly string[], cwd: string): Promise<{ ms: number; result: RunrResult }> {
  const t0 = performance.now();
  const result = await runrAsync(args, { cwd });
  return { ms: performance.now() - t0, result };
}
