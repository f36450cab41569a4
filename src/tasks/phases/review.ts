/** REVIEW: show the reviewer the milestone's uncommitted diff. */
import type { TaskEvent } from '../../core/events/task.js';
import type { Effect } from '../../core/tasks/effects.js';
import type { TaskState } from '../../core/tasks/state.js';
import { ReviewResultSchema } from '../../core/tasks/worker-results.js';
import { InternalError } from '../../core/errors.js';
import { git } from '../../git/exec.js';
import type { TaskRunContext } from '../context.js';
import { reviewPrompt } from '../prompts.js';
import { changedFiles } from '../scope-guard.js';
import { askWorker, stoppedEvent } from './worker-call.js';

const MAX_DIFF = 60_000;

async function milestoneDiff(ctx: TaskRunContext): Promise<string> {
  // The IMPLEMENT guard just listed them (VERIFY may have added build output: those are listed at CHECKPOINT).
  const files = ctx.lastChanged ?? (await changedFiles(ctx));
  if (files.length === 0) return '(no changes)';
  const r = await git(['diff', 'HEAD', '--no-color', '--no-ext-diff', '--', ...files.map((f) => `:(top,literal)${f}`)], { cwd: ctx.workDir, allowFail: true });
  let diff = r.stdout.toString('utf8');
  const tracked = new Set([...diff.matchAll(/^diff --git a\/(.+?) b\//gm)].map((x) => x[1]));
  const untracked = files.filter((f) => !tracked.has(f));
  if (untracked.length > 0) diff += `\nNew or untracked files (read them in the worktree):\n${untracked.map((f) => `  ${f}`).join('\n')}\n`;
  return ctx.redact(diff.length > MAX_DIFF ? `${diff.slice(0, MAX_DIFF)}\n… (diff truncated; read the files in the worktree)` : diff);
}

export async function performReview(ctx: TaskRunContext, s: TaskState, e: Extract<Effect, { type: 'review' }>): Promise<TaskEvent> {
  const m = s.milestones[e.milestone_index];
  if (m === undefined) throw new InternalError(`no milestone ${e.milestone_index}`);
  ctx.progress(`${m.id} REVIEW (round ${e.round})`);
  const prompt = reviewPrompt(ctx, s, m, await milestoneDiff(ctx));
  const r = await askWorker(ctx, ctx.workers.review, 'REVIEW', { index: e.milestone_index, id: m.id }, e.round, prompt, ReviewResultSchema);
  if (!r.ok) return stoppedEvent('REVIEW', r);
  return {
    type: 'task.reviewed',
    milestone_index: e.milestone_index,
    round: e.round,
    status: r.value.status,
    changes: r.value.changes.map((c) => c.slice(0, 1000)).slice(0, 50),
    worker: ctx.workers.review.name,
    duration_ms: r.durationMs,
    ...(r.usage !== undefined ? { usage: r.usage } : {}),
  };
}
