/**
 * VERIFY: run the tiers in order (tier0, tier1, tier2), each command as the shell string the user
 * wrote, in the work directory; the first failure ends the round. Output goes to a log (redacted);
 * the journal keeps the tail of the failing command's output (redacted) for the next IMPLEMENT.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TaskEvent, TaskEventOf } from '../../core/events/task.js';
import type { Effect } from '../../core/tasks/effects.js';
import type { TaskState } from '../../core/tasks/state.js';
import { InternalError } from '../../core/errors.js';
import { runProcess } from '../../proc/run-process.js';
import { relToRoot } from '../../store/project.js';
import type { TaskRunContext } from '../context.js';
import { checkRepo, snapshotRepo, violationSummary } from '../repo-guard.js';
import { runGuard } from '../scope-guard.js';

const TAIL = 2000;
type CommandResult = TaskEventOf<'task.verified'>['commands'][number];

/** Verification runs code the worker wrote: the repository guard watches it like a worker call. */
export async function performVerify(ctx: TaskRunContext, s: TaskState, e: Extract<Effect, { type: 'verify' }>): Promise<TaskEvent> {
  const started = ctx.now();
  const before = await snapshotRepo(ctx);
  const event = await verifyTiers(ctx, s, e);
  const violations = await checkRepo(ctx, before);
  if (violations.length === 0) return event;
  return { type: 'task.stopped', reason: 'guard_violation', detail: violationSummary(violations), phase: 'VERIFY', duration_ms: ctx.now() - started, violations };
}

async function verifyTiers(ctx: TaskRunContext, s: TaskState, e: Extract<Effect, { type: 'verify' }>): Promise<TaskEvent> {
  const m = s.milestones[e.milestone_index];
  if (m === undefined) throw new InternalError(`no milestone ${e.milestone_index}`);
  const started = ctx.now();
  const base = { type: 'task.verified' as const, milestone_index: e.milestone_index };
  if (e.guard_first) {
    const guard = await runGuard(ctx);
    if (guard.violations.length > 0) return { ...base, ok: false, commands: [], failure: null, violations: guard.violations, log: null, duration_ms: ctx.now() - started };
  }
  const v = ctx.config.verification;
  const tiers = [
    ['tier0', v.tier0],
    ['tier1', v.tier1],
    ['tier2', v.tier2],
  ] as const;
  const dir = path.join(ctx.logsDir, 'verify');
  fs.mkdirSync(dir, { recursive: true });
  const logFile = path.join(dir, `${m.id}.log`);
  const cwd = path.join(ctx.workDir, v.cwd);
  const commands: CommandResult[] = [];
  const env = { ...process.env, RUNR_RUN_ID: ctx.runId, RUNR_MILESTONE: m.id, RUNR_WORKTREE: ctx.workDir };
  for (const [tier, list] of tiers) {
    for (const command of list) {
      const budgetLeft = ctx.deadline === null ? Infinity : ctx.deadline - ctx.now();
      const timeoutMs = Math.max(1, Math.min(v.timeout_s * 1000, budgetLeft));
      fs.appendFileSync(logFile, `--- ${new Date(ctx.now()).toISOString()} ${tier}: ${ctx.redact(command)}\n`);
      const o = await runProcess([command], { cwd, env, shell: true, timeoutMs, signal: ctx.signal, logFile, transform: ctx.redact, tailBytes: TAIL });
      commands.push({ tier, command, exit_code: o.exitCode, signal: o.signal, timed_out: o.timedOut, duration_ms: o.durationMs });
      if (o.canceled) return stopped('interrupted', 'interrupted while verifying', ctx.now() - started);
      if (o.timedOut && timeoutMs < v.timeout_s * 1000) return stopped('time_budget_exceeded', `the time budget ran out during ${tier} \`${command}\``, ctx.now() - started);
      if (o.exitCode !== 0 || o.spawnError !== null) {
        ctx.progress(`${m.id} VERIFY failed: ${tier} \`${command}\` (${o.timedOut ? 'timed out' : `exit ${o.exitCode ?? o.signal ?? 'none'}`})`);
        const tail = o.spawnError !== null ? `could not start: ${o.spawnError}` : o.outputTail + (o.timedOut ? `\n[timed out after ${v.timeout_s} s]` : '');
        return {
          ...base,
          ok: false,
          commands,
          failure: { tier, command, exit_code: o.exitCode, output_tail: ctx.redact(tail).slice(-TAIL) },
          violations: [],
          log: relToRoot({ root: ctx.repoRoot }, logFile),
          duration_ms: ctx.now() - started,
        };
      }
    }
  }
  ctx.progress(`${m.id} VERIFY ok${commands.length === 0 ? ' (no verification commands configured)' : ''}`);
  return { ...base, ok: true, commands, failure: null, violations: [], log: commands.length === 0 ? null : relToRoot({ root: ctx.repoRoot }, logFile), duration_ms: ctx.now() - started };
}

function stopped(reason: 'interrupted' | 'time_budget_exceeded', detail: string, durationMs: number): TaskEventOf<'task.stopped'> {
  return { type: 'task.stopped', reason, detail, phase: 'VERIFY', duration_ms: durationMs };
}
