/**
 * `runr wait <run_id> --for <condition> [--timeout <s>] [--json]`. JSON: the operator guide's
 * object `{run_id, phase, stop_reason, milestones_completed}` plus `milestones_total`, `status`,
 * `condition` and `result` (`met` | `impossible` | `timeout`). Exit: 0 the run is complete or
 * running (the condition held), 3 the run is stopped, 124 timeout, 2 bad input.
 */
import type { CliContext } from '../../context.js';
import type { ExitCode } from '../../../core/errors.js';
import { ExitCode as ExitCodes, InterruptedError, OutcomeError, UserError } from '../../../core/errors.js';
import type { WaitCondition } from '../../../core/supervise/conditions.js';
import { conditionProblem, describeCondition, parseCondition, waitExitCode } from '../../../core/supervise/conditions.js';
import type { RunView } from '../../../core/supervise/run-view.js';
import { runView } from '../../../core/supervise/run-view.js';
import { waitForRun } from '../../../supervise/wait.js';
import { runAlive } from '../../../tasks/run-lock.js';
import { endLine, storeAndRun } from './common.js';
import type { WaitOptions } from './options.js';

export function waitJson(v: RunView, condition: WaitCondition, result: 'met' | 'impossible' | 'timeout') {
  return {
    run_id: v.run_id,
    phase: v.phase,
    stop_reason: v.stop_reason,
    milestones_completed: v.milestones_completed,
    milestones_total: v.milestones_total,
    status: v.status,
    condition: describeCondition(condition),
    result,
  };
}

export async function waitCommand(ctx: CliContext, runArg: string, opts: WaitOptions): Promise<void> {
  const parsed = parseCondition(opts.for);
  if ('problem' in parsed) throw new UserError(`--for: ${parsed.problem}`);
  const limit = opts.timeout === undefined ? undefined : Math.round(opts.timeout * 1000);
  if (opts.queue !== undefined || process.env.RUNR_QUEUE !== undefined) {
    // A queued or remote run: wait on the registry until it is finished and its record is home;
    // the condition is then decided on the record (phase/milestone conditions at the end only).
    const { remoteRun, queueJson, queueLine } = await import('../queue/remote.js');
    const r = await remoteRun(ctx, runArg, opts, { wait: true, ...(limit !== undefined ? { timeoutMs: limit } : {}) });
    if (r !== null && !r.local) {
      const result = r.timedOut ? 'timeout' : 'impossible';
      if (ctx.json) ctx.out(JSON.stringify({ run_id: r.view.run_id, status: r.view.status, stop_reason: r.view.stop_reason, condition: describeCondition(parsed), result, queue: queueJson(r.view) }, null, 2));
      else ctx.out(r.timedOut ? `timed out waiting for ${describeCondition(parsed)}: ${queueLine(r.view)}` : `${queueLine(r.view)} (no record)`);
      throw new OutcomeError('', r.timedOut ? ExitCodes.timedOut : ExitCodes.stopped);
    }
  }
  const { store, runId } = storeAndRun(ctx, runArg);
  const first = store.load(runId).run;
  const problem = conditionProblem(parsed, runView(first, runAlive(store, runId)).kind);
  if (problem !== null) throw new UserError(`--for: ${problem}`);
  const r = await waitForRun(store, runId, parsed, { signal: ctx.signal, ...(limit !== undefined ? { timeoutMs: limit } : {}) });
  if (r.result === 'interrupted') throw new InterruptedError('interrupted');
  const code = waitExitCode(r.result, r.view);
  if (ctx.json) ctx.out(JSON.stringify(waitJson(r.view, parsed, r.result), null, 2));
  else if (r.result === 'timeout') ctx.out(`timed out after ${Math.round(r.elapsedMs / 1000)} s waiting for ${describeCondition(parsed)}: run ${runId} is ${r.view.status}${r.view.phase !== null ? ` in ${r.view.phase}` : ''}`);
  else if (r.view.terminal) {
    ctx.out(endLine(r.view));
    if (r.result === 'impossible') ctx.out(`${describeCondition(parsed)} can no longer hold`);
  } else ctx.out(`Run ${runId}: ${describeCondition(parsed)} (phase ${r.view.phase ?? '-'}, ${r.view.milestones_completed}/${r.view.milestones_total} milestones)`);
  if (code !== 0) throw new OutcomeError('', code as ExitCode);
}
