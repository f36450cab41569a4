/** IMPLEMENT: the worker changes files; then the scope guard judges what changed. */
import type { TaskEvent } from '../../core/events/task.js';
import type { Effect } from '../../core/tasks/effects.js';
import type { TaskState } from '../../core/tasks/state.js';
import { ImplementResultSchema } from '../../core/tasks/worker-results.js';
import { InternalError } from '../../core/errors.js';
import type { TaskRunContext } from '../context.js';
import { implementPrompt } from '../prompts.js';
import { runGuard } from '../scope-guard.js';
import { askWorker, stoppedEvent } from './worker-call.js';

const MAX_LISTED = 200;

export async function performImplement(ctx: TaskRunContext, s: TaskState, e: Extract<Effect, { type: 'implement' }>): Promise<TaskEvent> {
  const m = s.milestones[e.milestone_index];
  if (m === undefined) throw new InternalError(`no milestone ${e.milestone_index}`);
  ctx.progress(`${m.id} IMPLEMENT (attempt ${e.attempt})`);
  const r = await askWorker(ctx, ctx.workers.implement, 'IMPLEMENT', { index: e.milestone_index, id: m.id }, e.attempt, implementPrompt(ctx, s, m, e.attempt), ImplementResultSchema);
  if (!r.ok) return stoppedEvent('IMPLEMENT', r);
  const started = ctx.now();
  const guard = await runGuard(ctx);
  return {
    type: 'task.implemented',
    milestone_index: e.milestone_index,
    attempt: e.attempt,
    status: r.value.status,
    memo: r.value.handoff_memo.slice(0, 2000),
    changed_files: guard.changed.slice(0, MAX_LISTED),
    changed_count: guard.changed.length,
    violations: guard.violations,
    worker: ctx.workers.implement.name,
    duration_ms: r.durationMs + (ctx.now() - started),
    ...(r.usage !== undefined ? { usage: r.usage } : {}),
  };
}
