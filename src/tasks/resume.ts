/**
 * `runr resume <run_id>`: refuse a live run (its lock has a holder) and runs that cannot be resumed;
 * record a dead session as `interrupted`; reap an orphaned worker; check that the branch still holds
 * the last checkpoint; then continue where the run stopped (decide's `task.resumed`: the retry
 * budget of the milestone is reset, a failed verification is re-verified with the work kept).
 */
import fs from 'node:fs';
import { StateError, UserError } from '../core/errors.js';
import type { TaskEventOf } from '../core/events/task.js';
import { lockfilesOnly } from '../core/tasks/phases/resume.js';
import { taskInfoOf, taskStateOf } from '../core/tasks/record.js';
import { STOP_REASONS, suggestedCommand } from '../core/tasks/stop-reasons.js';
import type { RunRecord } from '../core/schemas/run.js';
import { currentBranch, isAncestor, repoInfo } from '../git/repo.js';
import type { HeldLock } from '../store/lock.js';
import type { OpenProjectOptions } from '../store/project.js';
import { openProject } from '../store/project.js';
import { storeFor } from '../store/open-store.js';
import type { RunStore } from '../store/run-store.js';
import { loadTaskConfig, parseTaskConfig } from '../config/task-section.js';
import { writeStopHandoff } from './handoff.js';
import { reapOrphanWorker } from './liveness.js';
import { acquireRunLock, runAlive } from './run-lock.js';
import { record } from './loop.js';
import type { SessionResult } from './session.js';
import { runSession } from './session.js';
import type { SessionDeps } from './setup.js';
import { buildContext, taskCopyFile, workDirOf } from './setup.js';
import { requireWorkersExist } from './context.js';
import { parseTaskText, readTaskFile } from './task-file.js';
import { acquireInPlaceLock, leftOutOfWorktree, recreateWorktree, worktreeCheckedOut } from './workspace.js';

export interface ResumeOptions {
  run: string;
  timeMin?: number;
  maxTicks?: number;
  reloadConfig: boolean;
  /** Dependency lockfiles may change from now on (and a guard_violation on lockfiles alone resumes). */
  allowDeps?: boolean;
  runsDir?: string;
}

export interface ResumeDeps extends SessionDeps {
  cwd: string;
  onStarted?: (r: { run_id: string; run_dir: string; repo_root: string }) => void;
  store?: RunStore;
}

async function lockOrRefuse(store: RunStore, runId: string): Promise<HeldLock> {
  if (runAlive(store, runId)) throw new StateError(`run ${runId} is still running; it cannot be resumed while it is alive`, 'run_locked');
  try {
    return await acquireRunLock(store, runId, 'task run (resume)');
  } catch (err) {
    throw new StateError(`run ${runId} is still running (${err instanceof Error ? err.message.replace(/^.*: locked /, 'locked ') : 'locked'}); it cannot be resumed while it is alive`, 'run_locked');
  }
}

/** Where the work must be for the run to continue; a problem becomes a `branch_mismatch` stop. */
async function branchProblem(workDir: string, branch: string, checkpoint: string | null): Promise<string | null> {
  if (!fs.existsSync(workDir)) return `the work directory ${workDir} is gone`;
  const current = await currentBranch(workDir);
  if (current !== branch) return `${current === null ? 'a detached HEAD' : `branch ${current}`} is checked out in ${workDir}, expected ${branch}`;
  if (checkpoint !== null && !(await isAncestor(workDir, checkpoint, 'HEAD'))) return `${branch} no longer contains the last checkpoint ${checkpoint.slice(0, 12)}`;
  return null;
}

export async function resumeTaskRun(deps: ResumeDeps, opts: ResumeOptions): Promise<SessionResult> {
  const projectOpts: OpenProjectOptions = opts.runsDir !== undefined ? { runsDir: opts.runsDir } : {};
  const project = deps.store?.project ?? openProject(deps.cwd, projectOpts);
  const store = deps.store ?? storeFor(project);
  const runId = store.resolve(opts.run, '<run_id>');
  const first = store.load(runId).run;
  if (first.kind !== 'task') throw new UserError(`<run_id>: ${runId} is a ${first.kind ?? 'workflow'} run; resume continues task runs`);
  const locks: HeldLock[] = [await lockOrRefuse(store, runId)];
  try {
    reapOrphanWorker(store, runId);
    let run: RunRecord = store.load(runId).run;
    if (run.status === 'RUNNING') {
      // The lock was free, so the session that wrote RUNNING is dead.
      run = await store.mutate(runId, () => [{ type: 'task.stopped', reason: 'interrupted', detail: 'the run’s process died (no live lock holder)', phase: null, duration_ms: null }]);
    }
    const state = taskStateOf(run);
    const info = taskInfoOf(run);
    if (state === null || state.stop_reason === null) throw new StateError(`run ${runId} has not started; nothing to resume`, 'not_resumable');
    if (state.stop_reason === 'complete') throw new StateError(`run ${runId} is already complete; nothing to resume`, 'not_resumable');
    const reason = STOP_REASONS[state.stop_reason];
    const depsOnly = opts.allowDeps === true && lockfilesOnly(state);
    if (!reason.resumable && !depsOnly) {
      const others = state.guard_violations.filter((v) => v.rule !== 'lockfile').map((v) => `${v.path} (${v.rule})`);
      const why =
        state.stop_reason === 'guard_violation' && state.guard_violations.some((v) => v.rule === 'lockfile')
          ? ` --allow-deps resumes only a guard_violation on lockfiles alone; also blocked: ${others.slice(0, 5).join(', ')}.`
          : state.stop_reason === 'guard_violation' && opts.allowDeps === true
            ? ' --allow-deps resumes only a guard_violation on lockfiles alone.'
            : '';
      throw new StateError(`run ${runId} stopped with ${state.stop_reason}, which is not resumable (${reason.description}).${why} Next: ${suggestedCommand(state.stop_reason, { run_id: runId, worktree: info.git.worktree, task: info.task.file })}`, 'not_resumable');
    }
    const config = opts.reloadConfig ? loadTaskConfig(project) : parseTaskConfig(info.config, `${store.display(store.recordDir(runId))}/RUN.json (task.info.config)`);
    const copy = taskCopyFile(store, runId);
    const task = fs.existsSync(copy) ? parseTaskText(fs.readFileSync(copy, 'utf8')) : readTaskFile(`${project.root}/${info.task.file}`, info.task.file);
    const workDir = workDirOf(project, info);
    if (info.git.in_place) locks.push(await acquireInPlaceLock((await repoInfo(project.root)).commonDir));
    deps.onStarted?.({ run_id: runId, run_dir: store.runDir(runId), repo_root: project.root });
    // A worktree that is gone is put back from the run's branch (which holds the checkpoints), or
    // made at the base commit when the run was killed before it had one.
    let recreated: string | null = null;
    if (!info.git.in_place && info.git.worktree !== null && !worktreeCheckedOut(workDir)) {
      const r = await recreateWorktree(project.root, workDir, info.git.branch, info.git.base_commit, leftOutOfWorktree(project.root, project.runsDir));
      recreated = r.fromBranch ? `recreated ${info.git.worktree} from ${info.git.branch}` : `created ${info.git.worktree} on a new ${info.git.branch} at ${info.git.base_commit.slice(0, 12)}`;
    }
    const problem = await branchProblem(workDir, info.git.branch, state.checkpoint_sha);
    if (problem !== null) {
      const stopped = await store.mutate(runId, () => [{ type: 'task.stopped', reason: 'branch_mismatch', detail: problem, phase: null, duration_ms: null }]);
      writeStopHandoff(store, stopped);
      return { runId, runDir: store.runDir(runId), repoRoot: project.root, reason: 'branch_mismatch', state: taskStateOf(stopped) ?? state, run: stopped };
    }
    const repo = await repoInfo(workDir);
    const timeBudgetMin = opts.timeMin ?? config.limits.time_budget_min;
    const ctx = buildContext(deps, { project, store, runId, info: opts.allowDeps === true ? { ...info, options: { ...info.options, allow_deps: true } } : info, config, task, workDir, gitDir: repo.gitDir, commonDir: repo.commonDir, timeBudgetMin, resumed: true });
    requireWorkersExist(ctx.workers);
    if (recreated !== null) ctx.progress(recreated);
    const resumed: TaskEventOf<'task.resumed'> = {
      type: 'task.resumed',
      time_budget_min: timeBudgetMin,
      max_ticks: opts.maxTicks ?? config.limits.max_ticks,
      ...(opts.reloadConfig ? { config: config as unknown as Record<string, unknown> } : {}),
      ...(opts.allowDeps === true ? { allow_deps: true as const } : {}),
    };
    const next = await record(ctx, state, resumed);
    ctx.progress(`resumed ${runId} (session ${next.state.session}) in ${next.state.phase}`);
    return await runSession(ctx, next.state, next.effects, locks.splice(0));
  } finally {
    for (const l of locks) l.release();
  }
}
