/** PLAN: ask the planner for milestones and check the files it expects against the scope. */
import type { TaskEvent } from '../../core/events/task.js';
import { planScopeViolations } from '../../core/tasks/scope.js';
import type { TaskState } from '../../core/tasks/state.js';
import { PlanResultSchema } from '../../core/tasks/worker-results.js';
import type { TaskRunContext } from '../context.js';
import { planPrompt } from '../prompts.js';
import { askWorker, stoppedEvent } from './worker-call.js';

export async function performPlan(ctx: TaskRunContext, _s: TaskState): Promise<TaskEvent> {
  ctx.progress('PLAN');
  const r = await askWorker(ctx, ctx.workers.plan, 'PLAN', null, 1, planPrompt(ctx), PlanResultSchema);
  if (!r.ok) return stoppedEvent('PLAN', r);
  const plan = r.value;
  const expected = plan.milestones.flatMap((m) => m.files_expected);
  return {
    type: 'task.planned',
    outcome: plan.status === 'reject' ? 'rejected' : 'ok',
    reason: plan.reason ?? null,
    milestones: plan.milestones,
    scope_violations: planScopeViolations(expected, ctx.matcher),
    worker: ctx.workers.plan.name,
    duration_ms: r.durationMs,
    ...(r.usage !== undefined ? { usage: r.usage } : {}),
  };
}
