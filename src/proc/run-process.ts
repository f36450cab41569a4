/**
 * Run a child process from an argv array (never a shell string built from data), with a timeout
 * and cancellation that kill the whole process group, output teed to a log file, and the outcome
 * described as data (STYLE §9). Uses node:child_process directly: execa's `timeout` kills only the
 * direct child, and agent CLIs and test runners leave grandchildren behind.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { lineRedactor } from './line-redactor.js';

export interface ProcessOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  canceled: boolean;
  durationMs: number;
  /** Last bytes of combined stdout+stderr (redacted by the caller if it records them). */
  outputTail: string;
  /** Error starting the process (e.g. ENOENT), if any. */
  spawnError: string | null;
}

export interface RunProcessOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Append combined output here. */
  logFile?: string;
  /** Transform applied to output before it is written to the log (redaction). */
  transform?: (s: string) => string;
  stdin?: string;
  tailBytes?: number;
  /** Grace period between SIGTERM and SIGKILL of the group. */
  killGraceMs?: number;
  /** Run through the shell: only for commands the user wrote as a shell string in their config. */
  shell?: boolean;
  /** Write standard output (only) to this file as well (the log still gets both streams). */
  stdoutFile?: string;
  /** Called with the child's pid (= its process group id) once it is spawned. */
  onSpawn?: (pid: number) => void;
}

export function describeOutcome(o: ProcessOutcome): string {
  if (o.spawnError !== null) return `could not start: ${o.spawnError}`;
  if (o.timedOut) return `timed out after ${Math.round(o.durationMs / 1000)} s`;
  if (o.canceled) return 'canceled';
  if (o.signal !== null) return `killed by ${o.signal}`;
  return o.exitCode === 0 ? 'exited 0' : `exited ${o.exitCode}`;
}

export function killGroup(pid: number | undefined, sig: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  }
}

export function runProcess(argv: readonly string[], opts: RunProcessOptions): Promise<ProcessOutcome> {
  const [cmd, ...args] = argv;
  const started = Date.now();
  const tailBytes = opts.tailBytes ?? 4096;
  const transform = opts.transform ?? ((s: string) => s);
  return new Promise((resolve) => {
    if (cmd === undefined) {
      resolve({ exitCode: null, signal: null, timedOut: false, canceled: false, durationMs: 0, outputTail: '', spawnError: 'empty argv' });
      return;
    }
    let log: number | undefined;
    if (opts.logFile !== undefined) log = fs.openSync(opts.logFile, 'a');
    const stdoutFd = opts.stdoutFile !== undefined ? fs.openSync(opts.stdoutFile, 'w') : undefined;
    let tail = '';
    let timedOut = false;
    let canceled = false;
    let settled = false;
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
      shell: opts.shell === true,
    });
    const write = (text: string) => {
      if (log !== undefined) fs.writeSync(log, text);
      tail = (tail + text).slice(-tailBytes);
    };
    const streams = [lineRedactor(write, transform), lineRedactor(write, transform)] as const;
    if (child.pid !== undefined) opts.onSpawn?.(child.pid);
    child.stdout.on('data', (c: Buffer) => {
      if (stdoutFd !== undefined) fs.writeSync(stdoutFd, c);
      streams[0].push(c.toString('utf8'));
    });
    child.stderr.on('data', (c: Buffer) => streams[1].push(c.toString('utf8')));
    child.stdin.on('error', () => undefined);
    if (opts.stdin !== undefined) child.stdin.end(opts.stdin);
    else child.stdin.end();

    const stop = (why: 'timeout' | 'cancel') => {
      if (why === 'timeout') timedOut = true;
      else canceled = true;
      killGroup(child.pid, 'SIGTERM');
      setTimeout(() => killGroup(child.pid, 'SIGKILL'), opts.killGraceMs ?? 2000).unref();
    };
    const timer = opts.timeoutMs !== undefined ? setTimeout(() => stop('timeout'), opts.timeoutMs) : undefined;
    const onAbort = () => stop('cancel');
    if (opts.signal?.aborted === true) onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    const finish = (exitCode: number | null, signal: NodeJS.Signals | null, spawnError: string | null) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      // The group may still have members (daemonized grandchildren): make sure they are gone.
      if (timedOut || canceled) killGroup(child.pid, 'SIGKILL');
      for (const st of streams) st.flush();
      if (log !== undefined) fs.closeSync(log);
      if (stdoutFd !== undefined) fs.closeSync(stdoutFd);
      resolve({ exitCode, signal, timedOut, canceled, durationMs: Date.now() - started, outputTail: tail, spawnError });
    };
    child.on('error', (err) => finish(null, null, err.message));
    child.on('close', (code, signal) => finish(code, signal, null));
  });
}
