/**
 * A worker that is a process (claude, codex, any command). The prompt goes to a file and to stdin;
 * the process runs in its own process group (spawned detached) so that a timeout, a stall or Ctrl-C
 * kills the agent AND everything it started (test runners, language servers), not just the CLI
 * wrapper. Its pid is kept in `pidFile` while it runs: if runr itself is killed (-9), the next
 * `status`/`resume` reaps the orphaned group instead of letting it keep editing the worktree.
 */
import fs from 'node:fs';
import os from 'node:os';
import { runProcess } from '../proc/run-process.js';
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

  async call(req: WorkerRequest): Promise<WorkerOutcome> {
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
    // The argv may carry a secret (a token in `workers.<name>.args`): the header is redacted like the output.
    fs.appendFileSync(req.logFile, req.redact(`--- ${new Date().toISOString()} ${this.spec.command} ${this.spec.args.join(' ')} (${req.phase}${req.milestoneId ? ` ${req.milestoneId}` : ''}, attempt ${req.attempt}${req.reminder ? ', JSON-only reminder' : ''})\n`));
    const o = await runProcess([this.spec.command, ...this.spec.args], {
      cwd: req.cwd,
      env,
      stdin: req.prompt,
      timeoutMs: req.timeoutMs,
      ...(req.stallMs !== null ? { stallMs: req.stallMs, ...(req.lastFileChange !== undefined ? { lastActivity: req.lastFileChange } : {}) } : {}),
      signal: req.signal,
      logFile: req.logFile,
      transform: req.redact,
      captureStdoutBytes: MAX_STDOUT,
      killGraceMs: KILL_GRACE_MS,
      // Members of the group may outlive the leader (daemonized grandchildren): end them too.
      reapGroup: 'always',
      onSpawn: (pid) => writePidFile(req.pidFile, pid, req.runId),
    });
    fs.rmSync(req.pidFile, { force: true });
    fs.appendFileSync(req.logFile, `\n--- exit ${o.exitCode ?? 'none'}${o.signal ? ` (${o.signal})` : ''}${o.stoppedBy ? ` [${o.stoppedBy}]` : ''} after ${Date.now() - started} ms\n`);
    const durationMs = Date.now() - started;
    if (o.stoppedBy !== null) return { kind: o.stoppedBy, durationMs };
    if (o.spawnError !== null) return { kind: 'failed', detail: `could not start ${this.spec.command}: ${o.spawnError}`, durationMs };
    return this.read(o.stdout, req, o.exitCode, o.signal, durationMs);
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
      return { kind: 'failed', detail: `${this.spec.command} exited ${exitCode ?? sig ?? 'abnormally'} without an answer: ${req.redact(stdout).slice(-300).trim()}`, durationMs };
    }
    return { kind: 'unparsable', tail: req.redact(unwrapped.text).slice(-500), durationMs };
  }
}
