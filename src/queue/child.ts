/**
 * One attempt's run, in a child process of the worker in its own process group (so a cancel or a
 * lost lease kills the run and everything it started). The child is the runr launcher itself with
 * the hidden `queue-exec` command, which drives the task-run library (`startTaskRun`).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { WorkflowJobSpecSchema } from '../core/queue/payload.js';

export const ExecArgsSchema = z.object({
  cwd: z.string(),
  run_id: z.string(),
  task_file: z.string(),
  fast: z.boolean(),
  allow_deps: z.boolean(),
  max_ticks: z.number().int().positive().nullable(),
  time_min: z.number().positive().nullable(),
  result_file: z.string(),
  /** Continue the run from the record restored in the clone (`resume`) instead of starting it. */
  resume: z.boolean().default(false),
  /** A workflow run (CI mode) instead of a task run: the task fields are then unused. */
  workflow: WorkflowJobSpecSchema.nullable().default(null),
});
export type ExecArgs = z.infer<typeof ExecArgsSchema>;

export const ExecResultSchema = z.object({
  run_id: z.string(),
  run_dir: z.string(),
  reason: z.string().nullable(),
  detail: z.string().nullable(),
  error: z.string().nullable(),
});
export type ExecResult = z.infer<typeof ExecResultSchema>;

export interface RunningChild {
  pid: number;
  /** Exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves when the leader is gone. */
  kill(graceMs: number): Promise<void>;
}

function signalGroup(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    // already gone
  }
}

export function startChild(command: readonly string[], args: ExecArgs, logFile: string): RunningChild {
  const argsFile = `${args.result_file}.args.json`;
  fs.mkdirSync(path.dirname(argsFile), { recursive: true });
  fs.writeFileSync(argsFile, JSON.stringify(args));
  const log = fs.openSync(logFile, 'a');
  const [cmd, ...rest] = command;
  if (cmd === undefined) throw new Error('internal: empty child command');
  const child = spawn(cmd, [...rest, argsFile], { cwd: args.cwd, detached: true, stdio: ['ignore', log, log], env: { ...process.env, NO_COLOR: '1' } });
  fs.closeSync(log);
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start the run process');
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => resolve(code));
    child.on('error', () => resolve(null));
  });
  return {
    pid,
    exited,
    async kill(graceMs: number) {
      signalGroup(pid, 'SIGTERM');
      const t = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(t);
      // Anything the run left behind in its group goes too.
      signalGroup(pid, 'SIGKILL');
    },
  };
}

/** Written by the run process once it has its run directory (the worker snapshots it from there). */
export function startedFile(resultFile: string): string {
  return `${resultFile}.started.json`;
}

export function readStarted(resultFile: string): string | null {
  try {
    const v = z.object({ run_dir: z.string().min(1) }).parse(JSON.parse(fs.readFileSync(startedFile(resultFile), 'utf8')));
    return v.run_dir;
  } catch {
    return null;
  }
}

export function readExecResult(file: string): ExecResult | null {
  try {
    return ExecResultSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch {
    return null;
  }
}
