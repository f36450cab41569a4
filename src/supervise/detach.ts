/**
 * Detached sessions: `run --task … --json` and `resume … --json` return at once while the session
 * goes on in a supervisor process of its own.
 *
 * The supervisor is runr itself (`<launcher> <args> --foreground --supervised <log>`), spawned in
 * its own session and process group (setsid), so the shell that started it can exit or be killed
 * (SIGHUP, Ctrl-C, a tool timeout killing its process group) without touching the run. Its stdout
 * and stderr are a log file from the first instruction: it is created in `<runs_dir>/.supervisors/`
 * (the run does not exist yet) and, once the run is locked, renamed into the run's
 * `logs/supervisor-<n>.log` (a rename keeps the open descriptors). The supervisor then reports
 * `{run_id, run_dir, repo_root}` over an IPC channel and disconnects; the caller returns. If the
 * session fails before it starts (bad input, a live run, …) the supervisor exits: its output and
 * exit code come back as a `failed` result, exactly what the foreground command would have said.
 *
 * Liveness is unchanged: the supervisor holds the run's lock (pid, host, heartbeat), so a supervisor
 * killed with -9 shows as stopped with `interrupted`, and `resume` (or `watch --auto-resume`)
 * continues it.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface DetachOptions {
  /** The runr launcher (bin/runr.js) the supervisor runs. */
  runrBin: string;
  /** Directory the session command is run from (as the user ran it). */
  cwd: string;
  /** The session's runr arguments, e.g. `['run', '--task', 't.md', '--worktree']` or `['resume', id]`. */
  args: readonly string[];
  /** Absolute runs directory (the supervisor's first log lives here until the run exists). */
  runsDir: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

export type DetachResult =
  | { ok: true; run_id: string; run_dir: string; repo_root: string; pid: number; log: string }
  /** The session ended before it started: what it printed, and its exit code. */
  | { ok: false; exitCode: number; output: string };

/** The message a supervised session sends once its run exists and is locked. */
export interface StartedMessage {
  type: 'runr.session-started';
  run_id: string;
  run_dir: string;
  repo_root: string;
  log: string;
}

export function isStartedMessage(m: unknown): m is StartedMessage {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'runr.session-started' && typeof (m as { run_id?: unknown }).run_id === 'string';
}

export const SUPERVISED_FLAG = '--supervised';

export function pendingLogDir(runsDir: string): string {
  return path.join(runsDir, '.supervisors');
}

/** Start a session in a detached supervisor; resolves once the run is locked (or the session failed). */
export function spawnDetachedSession(opts: DetachOptions): Promise<DetachResult> {
  const dir = pendingLogDir(opts.runsDir);
  fs.mkdirSync(dir, { recursive: true });
  const log = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '')}-${randomBytes(4).toString('hex')}.log`);
  const fd = fs.openSync(log, 'a');
  let child;
  try {
    child = spawn(process.execPath, [opts.runrBin, ...opts.args, '--foreground', SUPERVISED_FLAG, log], {
      cwd: opts.cwd,
      detached: true,
      stdio: ['ignore', fd, fd, 'ipc'],
      env: { ...(opts.env ?? process.env), NO_COLOR: '1' },
    });
  } finally {
    fs.closeSync(fd);
  }
  const proc = child;
  return new Promise<DetachResult>((resolve) => {
    let settled = false;
    const settle = (r: DetachResult) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      resolve(r);
    };
    const onAbort = () => {
      // Ctrl-C before the run existed: nothing to keep running.
      try {
        if (proc.pid !== undefined) process.kill(-proc.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    proc.on('message', (m: unknown) => {
      if (!isStartedMessage(m)) return;
      proc.disconnect();
      proc.unref();
      settle({ ok: true, run_id: m.run_id, run_dir: m.run_dir, repo_root: m.repo_root, pid: proc.pid ?? -1, log: m.log });
    });
    proc.on('error', (err) => settle({ ok: false, exitCode: 70, output: `error: could not start the supervisor: ${err.message}\n` }));
    proc.on('exit', (code, sig) => {
      if (settled) return;
      let output = '';
      try {
        output = fs.readFileSync(log, 'utf8');
        fs.rmSync(log, { force: true });
      } catch {
        output = '';
      }
      settle({ ok: false, exitCode: code ?? (sig === 'SIGINT' || sig === 'SIGTERM' ? 130 : 70), output });
    });
  });
}
