/** Shared by the worker phases: write the prompt file, call the worker, map a failed call to `task.stopped`. */
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import type { TaskEventOf } from '../../core/events/task.js';
import type { WorkerPhase } from '../../core/tasks/phases.js';
import type { CallResult } from '../../workers/call.js';
import { callWorker } from '../../workers/call.js';
import { latestFileChange } from '../../workers/file-activity.js';
import type { Worker } from '../../workers/types.js';
import type { Violation } from '../../core/tasks/state.js';
import type { TaskRunContext } from '../context.js';
import { checkRepo, snapshotRepo, violationSummary } from '../repo-guard.js';
import { workerTimeoutMs } from '../context.js';

export type AskResult<T> = CallResult<T> | { ok: false; reason: 'guard_violation'; detail: string; durationMs: number; violations: Violation[] };

/** Call the worker between two fingerprints of the repository (repo-guard.ts): a change it must not make stops the run. */
export async function askWorker<S extends z.ZodType>(
  ctx: TaskRunContext,
  worker: Worker,
  phase: WorkerPhase,
  milestone: { index: number; id: string } | null,
  attempt: number,
  prompt: string,
  schema: S,
): Promise<AskResult<z.infer<S>>> {
  const before = await snapshotRepo(ctx);
  const r = await callUnguarded(ctx, worker, phase, milestone, attempt, prompt, schema);
  const violations = await checkRepo(ctx, before);
  if (violations.length === 0) return r;
  return { ok: false, reason: 'guard_violation', detail: violationSummary(violations), durationMs: r.durationMs, violations };
}

async function callUnguarded<S extends z.ZodType>(
  ctx: TaskRunContext,
  worker: Worker,
  phase: WorkerPhase,
  milestone: { index: number; id: string } | null,
  attempt: number,
  prompt: string,
  schema: S,
): Promise<CallResult<z.infer<S>>> {
  const base = `${phase.toLowerCase()}-${milestone?.id ?? 'plan'}-a${attempt}`;
  const promptsDir = path.join(ctx.logsDir, 'prompts');
  const workersDir = path.join(ctx.logsDir, 'workers');
  fs.mkdirSync(promptsDir, { recursive: true });
  fs.mkdirSync(workersDir, { recursive: true });
  const promptFile = path.join(promptsDir, `${base}.md`);
  fs.writeFileSync(promptFile, ctx.redact(prompt));
  const { timeoutMs, byBudget } = workerTimeoutMs(ctx, worker);
  const stall = ctx.config.limits.stall_timeout_s;
  return callWorker(
    worker,
    {
      phase,
      runId: ctx.runId,
      task: ctx.info.task.file,
      milestoneIndex: milestone?.index ?? null,
      milestoneId: milestone?.id ?? null,
      attempt,
      reminder: false,
      prompt,
      promptFile,
      resultFile: path.join(workersDir, `${base}.result.json`),
      cwd: ctx.workDir,
      logFile: path.join(workersDir, `${base}.log`),
      pidFile: path.join(ctx.logsDir, 'worker.pid'),
      timeoutMs,
      stallMs: stall === null ? null : stall * 1000,
      lastFileChange: () => latestFileChange(ctx.workDir, ctx.ownPaths),
      signal: ctx.signal,
      redact: ctx.redact,
    },
    schema,
    byBudget ? 'time_budget_exceeded' : 'worker_timeout',
  );
}

export function stoppedEvent(phase: WorkerPhase, r: Extract<AskResult<unknown>, { ok: false }>): TaskEventOf<'task.stopped'> {
  return { type: 'task.stopped', reason: r.reason, detail: r.detail, phase, duration_ms: r.durationMs, ...('violations' in r ? { violations: r.violations } : {}) };
}
