/**
 * A worker that is a process (claude, codex, any command). The prompt goes to a file and to stdin;
 * the process runs in its own process group (spawned detached) so that a timeout, a stall or Ctrl-C
 * kills the agent AND everything it started (test runners, language servers), not just the CLI
 * wrapper. Its pid is kept in `pidFile` while it runs: if runr itself is killed (-9), the next
 * `status`/`resume` reaps the orphaned group instead of letting it keep editing the worktree.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { lineRedactor } from '../proc/line-redactor.js';
import os from 'node:os';
import { killGroup } from '../proc/run-process.js';
import type { WorkerOutput } from '../core/tasks/config.js';
import { extractJson, unwrapOutput } from './protocol.js';
import type { Worker, WorkerOutcome, WorkerRequest } from './types.js';

const MAX_STDOUT = 16 * 1024 * 1024;
const KILL_GRACE_MS = 2000;

export interface ProcessWorkerSpec {
  name: string;
  adapter: string;
  command: string;
  args: readonly string[];
  output: WorkerOutput;
  env: Record<string, string>;
}

export function writePidFile(file: string, pid: number, runId: string): void {
  try {
    fs.writeFileSync(file, JSON.stringify({ pid, host: os.hostname(), run_id: runId, started_at: new Date().toISOString() }));
  } catch {
    // Best effort: reaping is a safety net, not a requirement.
  }
}

export class ProcessWorker implements Worker {
  constructor(private readonly spec: ProcessWorkerSpec) {}

  get name(): string {
    return this.spec.name;
  }

  get adapter(): string {
    return this.spec.adapter;
  }

  /** The executable (as resolved against the repository root), for existence checks before a run. */
  get command(): string {
    return this.spec.command;
  }

  call(req: WorkerRequest): Promise<WorkerOutcome> {
    const started = Date.now();
    fs.rmSync(req.resultFile, { force: true });
    const env = {
      ...process.env,
      ...this.spec.env,
      RUNR_RUN_ID: req.runId,
      RUNR_TASK: req.task,
      RUNR_PHASE: req.phase,
      RUNR_MILESTONE: req.milestoneId ?? '',
      RUNR_MILESTONE_INDEX: req.milestoneIndex === null ? '' : String(req.milestoneIndex),
      RUNR_ATTEMPT: String(req.attempt),
      RUNR_PROMPT_FILE: req.promptFile,
      RUNR_RESULT_FILE: req.resultFile,
      RUNR_WORKTREE: req.cwd,
    };
    return new Promise((resolve) => {
      const log = fs.openSync(req.logFile, 'a');
      fs.writeSync(log, `--- ${new Date().toISOString()} ${this.spec.command} ${this.spec.args.join(' ')} (${req.phase}${req.milestoneId ? ` ${req.milestoneId}` : ''}, attempt ${req.attempt}${req.reminder ? ', JSON-only reminder' : ''})\n`);
      let stdout = '';
      let ended: 'timeout' | 'stalled' | 'canceled' | null = null;
      let settled = false;
      let lastOutput = Date.now();
      const child = spawn(this.spec.command, this.spec.args as string[], { cwd: req.cwd, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
      if (child.pid !== undefined) writePidFile(req.pidFile, child.pid, req.runId);
      const logLines = [lineRedactor((t) => fs.writeSync(log, t), req.redact), lineRedactor((t) => fs.writeSync(log, t), req.redact)] as const;
      const onChunk = (isStdout: boolean) => (c: Buffer) => {
        lastOutput = Date.now();
        const text = c.toString('utf8');
        if (isStdout && stdout.length < MAX_STDOUT) stdout += text;
        logLines[isStdout ? 0 : 1].push(text);
      };
      child.stdout.on('data', onChunk(true));
      child.stderr.on('data', onChunk(false));
      child.stdin.on('error', () => undefined);
      child.stdin.end(req.prompt);

      const stop = (why: 'timeout' | 'stalled' | 'canceled') => {
        if (ended !== null) return;
        ended = why;
        killGroup(child.pid, 'SIGTERM');
        setTimeout(() => killGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS).unref();
      };
      const timer = setTimeout(() => stop('timeout'), req.timeoutMs);
      const stallTimer =
        req.stallMs === null
          ? undefined
          : setInterval(() => {
              if (Date.now() - lastOutput >= (req.stallMs ?? Infinity)) stop('stalled');
            }, Math.min(1000, Math.max(50, Math.floor(req.stallMs / 4))));
      const onAbort = () => stop('canceled');
      if (req.signal.aborted) onAbort();
      req.signal.addEventListener('abort', onAbort, { once: true });

      const finish = (exitCode: number | null, sig: NodeJS.Signals | null, spawnError: string | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (stallTimer !== undefined) clearInterval(stallTimer);
        req.signal.removeEventListener('abort', onAbort);
        // Members of the group may outlive the leader (daemonized grandchildren): end them too.
        killGroup(child.pid, 'SIGKILL');
        fs.rmSync(req.pidFile, { force: true });
        for (const l of logLines) l.flush();
        fs.writeSync(log, `\n--- exit ${exitCode ?? 'none'}${sig ? ` (${sig})` : ''}${ended ? ` [${ended}]` : ''} after ${Date.now() - started} ms\n`);
        fs.closeSync(log);
        const durationMs = Date.now() - started;
        if (ended !== null) return resolve({ kind: ended, durationMs });
        if (spawnError !== null) return resolve({ kind: 'failed', detail: `could not start ${this.spec.command}: ${spawnError}`, durationMs });
        resolve(this.read(stdout, req, exitCode, sig, durationMs));
      };
      child.on('error', (err) => finish(null, null, err.message));
      child.on('close', (code, sig) => finish(code, sig, null));
    });
  }

  private read(stdout: string, req: WorkerRequest, exitCode: number | null, sig: NodeJS.Signals | null, durationMs: number): WorkerOutcome {
    let fileText: string | null = null;
    try {
      fileText = fs.readFileSync(req.resultFile, 'utf8');
    } catch {
      fileText = null;
    }
    const unwrapped = unwrapOutput(stdout, this.spec.output);
    const value = (fileText !== null && fileText.trim() !== '' ? extractJson(fileText) : undefined) ?? extractJson(unwrapped.text);
    if (value !== undefined) return unwrapped.usage === undefined ? { kind: 'answered', value, durationMs } : { kind: 'answered', value, usage: unwrapped.usage, durationMs };
    if (exitCode !== 0) {
      return { kind: 'failed', detail: `${this.spec.command} exited ${exitCode ?? sig ?? 'abnormally'} without an answer: ${req.redact(stdout.slice(-300)).trim()}`, durationMs };
    }
    return { kind: 'unparsable', tail: req.redact(unwrapped.text.slice(-500)), durationMs };
  }
}
