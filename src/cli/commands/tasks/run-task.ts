/** CLI action of `runr run --task <file>` (routed to the hidden `run-task`) and `runr resume`. */
import { ExitCode, OutcomeError, UserError } from '../../../core/errors.js';
import type { CliContext } from '../../context.js';
import type { ResumeOptions, RunTaskOptions } from './task-options.js';
import { paint } from '../../style.js';
import { STOP_REASONS, suggestedCommand } from '../../../core/tasks/stop-reasons.js';
import { taskInfoOf } from '../../../core/tasks/record.js';
import type { SessionResult } from '../../../tasks/session.js';
// Static: this module is itself loaded lazily by the CLI; a second dynamic import would only add a round trip.
import { startTaskRun } from '../../../tasks/start.js';
import { resumeTaskRun } from '../../../tasks/resume.js';
import { detachWanted, runDetached } from '../supervise/detach-action.js';
import { announceStarted } from '../../../supervise/supervised.js';

function timeMin(opts: { time: number | undefined }): number | undefined {
  const t = opts.time;
  if (t !== undefined && t <= 0) throw new UserError('--time: expected a number of minutes > 0');
  return t;
}

function sessionDeps(ctx: CliContext, status: 'started' | 'resumed', supervised: string | undefined) {
  // A detached session's supervisor (docs/supervise.md) tells its parent the run id.
  return {
    cwd: ctx.cwd,
    signal: ctx.signal,
    progress: ctx.json ? () => undefined : (line: string) => ctx.err(`runr: ${line}`),
    onStarted: (r: { run_id: string; run_dir: string; repo_root: string }) => {
      if (supervised !== undefined) announceStarted(supervised, r);
      // The operator guide's shape, printed as soon as the run exists: agents capture run_id early.
      if (ctx.json) ctx.out(JSON.stringify({ ...r, status }, null, 2));
      else ctx.out(`${status === 'started' ? 'Started' : 'Resumed'} run ${r.run_id}`);
    },
  };
}

/** Human summary, then the exit code: 0 complete, 3 stopped, 130 interrupted. */
export function finish(ctx: CliContext, r: SessionResult): void {
  const p = paint(ctx.color);
  const info = taskInfoOf(r.run);
  const done = r.state.milestones.filter((m) => m.status === 'complete').length;
  if (!ctx.json) {
    if (r.reason === 'complete') {
      ctx.out(p.green(`Run ${r.runId} complete: ${done}/${r.state.milestones.length} milestones checkpointed on ${info.git.branch}${r.state.checkpoint_sha ? ` (last ${r.state.checkpoint_sha.slice(0, 12)})` : ''}`));
    } else {
      ctx.out(p.yellow(`Run ${r.runId} stopped: ${r.reason}${r.state.stop_detail ? ` — ${r.state.stop_detail}` : ''}`));
      for (const v of r.state.guard_violations) ctx.out(`  ${v.path} (${v.rule}${v.detail ? `: ${v.detail}` : ''})`);
      ctx.out(`${done}/${r.state.milestones.length} milestones checkpointed. Next: ${suggestedCommand(r.reason, { run_id: r.runId, worktree: info.git.worktree, task: info.task.file })}${STOP_REASONS[r.reason].resumable ? '' : ' (not resumable)'}`);
    }
  }
  if (r.reason === 'complete') return;
  throw new OutcomeError('', r.reason === 'interrupted' && ctx.signal.aborted ? ExitCode.interrupted : ExitCode.stopped);
}

/** What a detached session passes on to its supervisor besides its own flags. */
function sessionFlags(ctx: CliContext, opts: { time: number | undefined; maxTicks: number | undefined }): string[] {
  return [
    ...(opts.time !== undefined ? ['--time', String(opts.time)] : []),
    ...(opts.maxTicks !== undefined ? ['--max-ticks', String(opts.maxTicks)] : []),
    ...(ctx.runsDir !== undefined ? ['--runs-dir', ctx.runsDir] : []),
  ];
}

export async function runTaskCommand(ctx: CliContext, opts: RunTaskOptions): Promise<void> {
  const runsDir = ctx.runsDir;
  const maxTicks = opts.maxTicks;
  const t = timeMin(opts);
  if (detachWanted(ctx, opts)) {
    const flags = [...(opts.worktree ? ['--worktree'] : []), ...(opts.fast ? ['--fast'] : []), ...(opts.allowDeps ? ['--allow-deps'] : []), ...(opts.allowDirty ? ['--allow-dirty'] : []), ...sessionFlags(ctx, opts)];
    return runDetached(ctx, ['run', '--task', opts.task, ...flags], 'started');
  }
  const result = await startTaskRun(sessionDeps(ctx, 'started', opts.supervised), {
    task: opts.task,
    worktree: opts.worktree,
    fast: opts.fast,
    allowDeps: opts.allowDeps,
    allowDirty: opts.allowDirty,
    ...(t !== undefined ? { timeMin: t } : {}),
    ...(maxTicks !== undefined ? { maxTicks } : {}),
    ...(runsDir !== undefined ? { runsDir } : {}),
  });
  finish(ctx, result);
}

export async function resumeCommand(ctx: CliContext, runArg: string, opts: ResumeOptions): Promise<void> {
  const runsDir = ctx.runsDir;
  const maxTicks = opts.maxTicks;
  const t = timeMin(opts);
  if (detachWanted(ctx, opts)) {
    return runDetached(ctx, ['resume', runArg, ...(opts.reloadConfig ? ['--reload-config'] : []), ...sessionFlags(ctx, opts)], 'resumed');
  }
  const result = await resumeTaskRun(sessionDeps(ctx, 'resumed', opts.supervised), {
    run: runArg,
    reloadConfig: opts.reloadConfig,
    allowDeps: opts.allowDeps,
    ...(t !== undefined ? { timeMin: t } : {}),
    ...(maxTicks !== undefined ? { maxTicks } : {}),
    ...(runsDir !== undefined ? { runsDir } : {}),
  });
  finish(ctx, result);
}
