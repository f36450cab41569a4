/**
 * Run a child process from an argv array (never a shell string built from data), with a timeout
 * and cancellation that kill the whole process group, output teed to a log file, and the outcome
 * described as data (STYLE §9). Uses node:child_process directly: execa's `timeout` kills only the
 * direct child, and agent CLIs and test runners leave grandchildren behind.
 *
 * The one spawn/timeout/process-group-kill loop of runr: verification commands, gate `command`
 * validators and executors, the ops external verifier and process workers all run through it
 * (git has its own runner, src/git/exec.ts: no process group, no timeout, Buffer output).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { lineRedactor } from './line-redactor.js';

export type StopReason = 'timeout' | 'stalled' | 'canceled';

export interface ProcessOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  canceled: boolean;
  /** No output for `stallMs` (only when that option is set). */
  stalled: boolean;
  /** What stopped the process first, if runr stopped it. */
  stoppedBy: StopReason | null;
  durationMs: number;
  /** Last bytes of combined stdout+stderr, after `transform` (redacted by the caller if it records them). */
  outputTail: string;
  /** Raw stdout, appended while shorter than `captureStdoutBytes` (empty without that option). */
  stdout: string;
  /** Raw last `stderrTailBytes` of stderr (empty without that option). */
  stderrTail: string;
  /** Error starting the process (e.g. ENOENT), if any. */
  spawnError: string | null;
}

export interface RunProcessOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Stop the process when it has written nothing for this long. */
  stallMs?: number;
  /**
   * Other signs of life (epoch ms of the latest, e.g. a file written): asked only once the output
   * has been silent for `stallMs`; a time within the window postpones the stall.
   */
  lastActivity?: () => number;
  /** Append combined output here. */
  logFile?: string;
  /** Transform applied to output before it is written to the log (redaction). */
  transform?: (s: string) => string;
  /** Written to stdin, then stdin is closed (empty when unset). */
  stdin?: string;
  /** Give the child no stdin at all (/dev/null) instead of an empty pipe. */
  noStdin?: boolean;
  tailBytes?: number;
  captureStdoutBytes?: number;
  stderrTailBytes?: number;
  /** Grace period between SIGTERM and SIGKILL of the group; 0 sends SIGKILL at once. */
  killGraceMs?: number;
  /**
   * SIGKILL the process group when the leader has exited (members may outlive it: daemonized
   * grandchildren): 'stopped' only when runr stopped it (default), 'always', or 'never'.
   */
  reapGroup?: 'stopped' | 'always' | 'never';
  /** Called once the child has a pid (e.g. to write a pid file for reaping after a crash). */
  onSpawn?: (pid: number) => void;
  /** Write standard output (only, raw bytes) to this file as well; the log still gets both streams. */
  stdoutFile?: string;
  /** Run through the shell: only for commands the user wrote as a shell string in their config. */
  shell?: boolean;
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
  const captureStdout = opts.captureStdoutBytes ?? 0;
  const stderrTailBytes = opts.stderrTailBytes ?? 0;
  const base = { timedOut: false, canceled: false, stalled: false, stoppedBy: null, stdout: '', stderrTail: '' };
  return new Promise((resolve) => {
    if (cmd === undefined) {
      resolve({ ...base, exitCode: null, signal: null, durationMs: 0, outputTail: '', spawnError: 'empty argv' });
      return;
    }
    let log: number | undefined;
    if (opts.logFile !== undefined) log = fs.openSync(opts.logFile, 'a');
    const stdoutFd = opts.stdoutFile !== undefined ? fs.openSync(opts.stdoutFile, 'w') : undefined;
    let tail = '';
    let stdout = '';
    let stderrTail = '';
    let timedOut = false;
    let canceled = false;
    let stalled = false;
    let stoppedBy: StopReason | null = null;
    let settled = false;
    let lastOutput = Date.now();
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      detached: true,
      stdio: [opts.noStdin === true ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      shell: opts.shell === true,
    });
    if (child.pid !== undefined) opts.onSpawn?.(child.pid);
    const write = (text: string) => {
      if (log !== undefined) fs.writeSync(log, text);
      tail = (tail + text).slice(-tailBytes);
    };
    const streams = [lineRedactor(write, transform), lineRedactor(write, transform)] as const;
    child.stdout?.on('data', (c: Buffer) => {
      if (stdoutFd !== undefined) fs.writeSync(stdoutFd, c);
      lastOutput = Date.now();
      const text = c.toString('utf8');
      if (stdout.length < captureStdout) stdout += text;
      streams[0].push(text);
    });
    child.stderr?.on('data', (c: Buffer) => {
      lastOutput = Date.now();
      const text = c.toString('utf8');
      if (stderrTailBytes > 0) stderrTail = (stderrTail + text).slice(-stderrTailBytes);
      streams[1].push(text);
    });
    if (child.stdin !== null) {
      child.stdin.on('error', () => undefined);
      if (opts.stdin !== undefined) child.stdin.end(opts.stdin);
      else child.stdin.end();
    }

    const grace = opts.killGraceMs ?? 2000;
    const stop = (why: StopReason) => {
      if (why === 'timeout') timedOut = true;
      else if (why === 'canceled') canceled = true;
      else stalled = true;
      stoppedBy ??= why;
      if (grace === 0) {
        killGroup(child.pid, 'SIGKILL');
        return;
      }
      killGroup(child.pid, 'SIGTERM');
      setTimeout(() => killGroup(child.pid, 'SIGKILL'), grace).unref();
    };
    const timer = opts.timeoutMs !== undefined ? setTimeout(() => stop('timeout'), opts.timeoutMs) : undefined;
    const stallMs = opts.stallMs;
    const stallTimer =
      stallMs === undefined
        ? undefined
        : setInterval(() => {
            if (stoppedBy !== null || Date.now() - lastOutput < stallMs) return;
            const other = opts.lastActivity?.() ?? 0;
            if (other > lastOutput) lastOutput = other;
            if (Date.now() - lastOutput >= stallMs) stop('stalled');
          }, Math.min(1000, Math.max(50, Math.floor(stallMs / 4))));
    const onAbort = () => stop('canceled');
    if (opts.signal?.aborted === true) onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    const finish = (exitCode: number | null, signal: NodeJS.Signals | null, spawnError: string | null) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      if (stallTimer !== undefined) clearInterval(stallTimer);
      opts.signal?.removeEventListener('abort', onAbort);
      // The group may still have members (daemonized grandchildren): make sure they are gone.
      const reap = opts.reapGroup ?? 'stopped';
      if (reap === 'always' || (reap === 'stopped' && stoppedBy !== null)) killGroup(child.pid, 'SIGKILL');
      for (const st of streams) st.flush();
      if (log !== undefined) fs.closeSync(log);
      if (stdoutFd !== undefined) fs.closeSync(stdoutFd);
      resolve({ exitCode, signal, timedOut, canceled, stalled, stoppedBy, durationMs: Date.now() - started, outputTail: tail, stdout, stderrTail, spawnError });
    };
    child.on('error', (err) => finish(null, null, err.message));
    child.on('close', (code, signal) => finish(code, signal, null));
  });
}
