/**
 * One attempt's run, in a child process of the worker in its own process group (so a cancel or a
 * lost lease kills the run and everything it started). The child is the runr launcher itself with
 * the hidden `queue-exec` command, which drives the task-run library (`startTaskRun`).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { VariantJobSpecSchema, WorkflowJobSpecSchema } from '../core/queue/payload.js';
import { readJsonFile } from '../store/read-json.js';

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
  /** A batch variant (its stage pipeline) instead of a task run. */
  variant: VariantJobSpecSchema.nullable().default(null),
  /** The worker's pid: the run process stops its group when its parent is gone (no orphaned run). */
  parent_pid: z.number().int().positive().nullable().default(null),
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
  /** SIGKILL to the group at once, synchronously (the worker is exiting). */
  killNow(): void;
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
    killNow() {
      signalGroup(pid, 'SIGKILL');
    },
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

/**
 * In the run process: once its parent (the worker) is gone — killed, or exited without handing the
 * run back — stop the whole group (SIGTERM, SIGKILL 5 s later), so no run outlives its worker. The
 * run is then taken over by another worker through BullMQ's stalled-job recovery.
 */
export function stopWithParent(parentPid: number | null, say: (line: string) => void): void {
  if (parentPid === null) return;
  const timer = setInterval(() => {
    if (process.ppid === parentPid) return;
    clearInterval(timer);
    say(`the worker (pid ${parentPid}) is gone: stopping the run's process group`);
    signalGroup(process.pid, 'SIGTERM');
    setTimeout(() => signalGroup(process.pid, 'SIGKILL'), 5000);
  }, 500);
  timer.unref();
}

/** Written by the run process once it has its run directory (the worker snapshots it from there). */
export function startedFile(resultFile: string): string {
  return `${resultFile}.started.json`;
}

/**
 * The run process's own files, read through the strict reader (a regular file, strict UTF-8, no NUL,
 * bounded size and depth: store/read-json.ts) and checked against their schema. Anything else — not written yet, cut
 * short, or not what runr writes — is `null`: the worker then treats the attempt as one that left no
 * word (its record and the registry say what happened).
 */
function readOwnJson<S extends z.ZodType>(file: string, schema: S): z.infer<S> | null {
  try {
    return readJsonFile(file, schema);
  } catch {
    return null;
  }
}

const StartedSchema = z.strictObject({ run_dir: z.string().min(1) });

export function readStarted(resultFile: string): string | null {
  return readOwnJson(startedFile(resultFile), StartedSchema)?.run_dir ?? null;
}

export function readExecResult(file: string): ExecResult | null {
  return readOwnJson(file, ExecResultSchema);
}
