/**
 * CHECKPOINT: commit exactly what the scope allows, with `Runr-Run:` / `Runr-Milestone:` trailers.
 * Idempotent: when HEAD already is this run's commit for this milestone (runr died between the
 * commit and the journal append), that commit is reused — resume never makes a duplicate.
 * The scope is checked again here because VERIFY and REVIEW ran code in the worktree after the
 * IMPLEMENT guard: what gets committed is what was checked.
 */
import type { TaskEvent } from '../../core/events/task.js';
import type { Effect } from '../../core/tasks/effects.js';
import type { TaskState } from '../../core/tasks/state.js';
import { InternalError } from '../../core/errors.js';
import { checkpointMessage, commitCheckpoint, headCheckpoint } from '../../git/commit.js';
import type { TaskRunContext } from '../context.js';
import { NO_HOOKS } from '../../git/pins.js';
import { checkFiles } from '../repo-guard.js';
import { runGuard } from '../scope-guard.js';

export async function performCheckpoint(ctx: TaskRunContext, s: TaskState, e: Extract<Effect, { type: 'checkpoint' }>): Promise<TaskEvent> {
  const m = s.milestones[e.milestone_index];
  if (m === undefined) throw new InternalError(`no milestone ${e.milestone_index}`);
  const started = ctx.now();
  const base = { type: 'task.checkpointed' as const, milestone_index: e.milestone_index };
  ctx.committed = null;
  if (ctx.checkHeadForCheckpoint) {
    ctx.checkHeadForCheckpoint = false;
    const head = await headCheckpoint(ctx.workDir);
    if (head.trailers.run === ctx.runId && head.trailers.milestone === m.id) {
      ctx.progress(`${m.id} CHECKPOINT ${head.sha.slice(0, 12)} (already committed)`);
      return { ...base, sha: head.sha, reused: true, files_count: 0, violations: [], duration_ms: ctx.now() - started };
    }
  }
  // The hooks that may run on this commit are the ones the session started with: anything changed
  // since (by a process that outlived its worker call, say) stops the run before git runs.
  const drift = ctx.sessionFiles === null ? [] : checkFiles(ctx, ctx.sessionFiles, 'changed since the session started');
  if (drift.length > 0) return { ...base, sha: null, reused: false, files_count: 0, violations: drift, duration_ms: ctx.now() - started };
  const guard = await runGuard(ctx);
  if (guard.violations.length > 0) return { ...base, sha: null, reused: false, files_count: guard.changed.length, violations: guard.violations, duration_ms: ctx.now() - started };
  // An empty commit would mark the milestone done with nothing in it (e.g. after its worktree was lost).
  if (guard.changed.length === 0) return { ...base, sha: null, reused: false, files_count: 0, violations: [], duration_ms: ctx.now() - started };
  const message = checkpointMessage(`runr(${m.id}): ${m.goal}`, `Task: ${ctx.info.task.title}`, { run: ctx.runId, milestone: m.id });
  const hooksPath = ctx.config.guard.user_hooks ? ctx.hooksDir : NO_HOOKS;
  const sha = await commitCheckpoint(ctx.workDir, { paths: guard.changed, message, gitDir: ctx.gitDir, commonDir: ctx.commonDir, hooksPath });
  ctx.lastChanged = [];
  ctx.committed = guard.changed;
  ctx.progress(`${m.id} CHECKPOINT ${sha.slice(0, 12)} (${guard.changed.length} file${guard.changed.length === 1 ? '' : 's'})`);
  return { ...base, sha, reused: false, files_count: guard.changed.length, violations: [], duration_ms: ctx.now() - started };
}
