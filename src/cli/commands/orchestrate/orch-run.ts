/** Actions of `orchestrate run`, `orchestrate resume` and the hidden `orchestrate drive`. */
import { ExitCode, OutcomeError } from '../../../core/errors.js';
import type { OrchestrationState } from '../../../core/orchestrate/state.js';
import type { CliContext } from '../../context.js';
import { runrBin } from '../../self.js';
import { createOrchestration } from '../../../orchestrate/create.js';
import { spawnDriver } from '../../../orchestrate/detach.js';
import { orchestratorAlive } from '../../../orchestrate/liveness.js';
import { driveOrchestration, openOrchestrationStore, resolveOrchestration, resumeDetached } from '../../../orchestrate/session.js';
import { StateError } from '../../../core/errors.js';
import type { OrchResumeOptions, OrchRunOptions } from './orch-options.js';

function finishForeground(ctx: CliContext, s: OrchestrationState, id: string): void {
  const tasks = s.tracks.flatMap((t) => t.tasks);
  const landed = tasks.filter((t) => t.state === 'landed').length;
  if (!ctx.json) ctx.out(`Orchestration ${id} ${s.status}: ${landed}/${tasks.length} tasks landed on ${s.integration.branch}`);
  else ctx.out(JSON.stringify({ orchestration_id: id, status: s.status, landed, tasks_total: tasks.length, integration_branch: s.integration.branch }, null, 2));
  if (s.status === 'complete') return;
  throw new OutcomeError('', s.interrupted !== null && ctx.signal.aborted ? ExitCode.interrupted : ExitCode.stopped);
}

export async function orchestrateRunCommand(ctx: CliContext, opts: OrchRunOptions): Promise<void> {
  const { runsDir } = ctx;
  const { maxParallel, integrate } = opts;
  const created = await createOrchestration(
    { cwd: ctx.cwd },
    {
      config: opts.config,
      policy: opts.collisionPolicy,
      fast: opts.fast,
      allowDeps: opts.allowDeps,
      ...(maxParallel !== undefined ? { maxParallel } : {}),
      ...(integrate !== undefined ? { integrate } : {}),
      ...(runsDir !== undefined ? { runsDir } : {}),
    },
  );
  const id = created.orchestrationId;
  const started = { orchestration_id: id, run_dir: created.runDir, tracks: created.tracks.map((t) => ({ id: t.id, tasks: t.tasks.map((k) => k.path) })), status: 'started' as const };
  if (opts.foreground) {
    if (!ctx.json) ctx.out(`Started orchestration ${id}: ${created.tracks.length} tracks, landing on ${created.integrationBranch}`);
    const s = await driveOrchestration({ cwd: ctx.cwd, store: created.store, signal: ctx.signal, prepared: created.prepared, progress: ctx.json ? () => undefined : (l) => ctx.err(`runr: ${l}`) }, id, 'start');
    finishForeground(ctx, s, id);
    return;
  }
  spawnDriver(created.store, id, runrBin(), runsDir);
  if (ctx.json) ctx.out(JSON.stringify(started, null, 2));
  else {
    ctx.out(`Started orchestration ${id}: ${created.tracks.length} track${created.tracks.length === 1 ? '' : 's'}, landing on ${created.integrationBranch}`);
    ctx.out(`Follow it with: runr orchestrate follow ${id}   (or: runr orchestrate wait ${id} --for terminal)`);
  }
}

export async function orchestrateResumeCommand(ctx: CliContext, arg: string, opts: OrchResumeOptions): Promise<void> {
  const { runsDir } = ctx;
  const store = openOrchestrationStore({ cwd: ctx.cwd, ...(runsDir !== undefined ? { runsDir } : {}) });
  const id = resolveOrchestration(store, arg);
  if (orchestratorAlive(store, id)) throw new StateError(`orchestration ${id} is still running; it cannot be resumed while its orchestrator is alive`);
  if (opts.foreground) {
    const s = await driveOrchestration({ cwd: ctx.cwd, store, signal: ctx.signal, progress: ctx.json ? () => undefined : (l) => ctx.err(`runr: ${l}`) }, id, 'resume');
    finishForeground(ctx, s, id);
    return;
  }
  await resumeDetached(store, id, () => spawnDriver(store, id, runrBin(), runsDir));
  if (ctx.json) ctx.out(JSON.stringify({ orchestration_id: id, run_dir: store.runDir(id), status: 'resumed' }, null, 2));
  else ctx.out(`Resumed orchestration ${id}`);
}

/** The detached orchestrator: its output goes to logs/orchestrator.log. */
export async function orchestrateDriveCommand(ctx: CliContext, id: string): Promise<void> {
  const { runsDir } = ctx;
  const store = openOrchestrationStore({ cwd: ctx.cwd, ...(runsDir !== undefined ? { runsDir } : {}) });
  const resolved = resolveOrchestration(store, id);
  const stamp = () => new Date().toISOString();
  ctx.err(`${stamp()} orchestrator ${process.pid} driving ${resolved}`);
  const s = await driveOrchestration({ cwd: ctx.cwd, store, signal: ctx.signal, self: true, progress: (l) => ctx.err(`${stamp()} ${l}`) }, resolved, 'start');
  ctx.err(`${stamp()} orchestrator done: ${s.status}`);
}
