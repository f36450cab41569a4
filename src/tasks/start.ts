/**
 * `runr run --task <file>`: validate everything that can be wrong before anything is written
 * (config, task file, workers, git state), then create the run, take its lock, set up the worktree
 * or branch, record `task.started` and run the session.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../core/errors.js';
import { slugify } from '../core/ids.js';
import type { TaskConfig } from '../core/tasks/config.js';
import { phaseWorkers } from '../core/tasks/config.js';
import type { TaskEventOf } from '../core/events/task.js';
import type { TaskInfo } from '../core/tasks/record.js';
import type { RepoInfo } from '../git/repo.js';
import { repoInfo, worktreeGitDir } from '../git/repo.js';
import { sha256Text } from '../store/hash.js';
import type { HeldLock } from '../store/lock.js';
import type { OpenProjectOptions } from '../store/project.js';
import { openProject, relToRoot } from '../store/project.js';
import { storeFor } from '../store/open-store.js';
import type { RunStore } from '../store/run-store.js';
import { buildWorkers, ownPathsFor, requireWorkersExist } from './context.js';
import { loadTaskConfig } from '../config/task-section.js';
import { acquireRunLock } from './run-lock.js';
import { decide } from '../core/tasks/decide.js';
import type { SessionResult } from './session.js';
import { runSession } from './session.js';
import type { SessionDeps } from './setup.js';
import { buildContext, taskCopyFile } from './setup.js';
import { fastMilestones, readTaskFile } from './task-file.js';
import { acquireInPlaceLock, branchInPlace, createWorktree, dirtyBaseline, leftOutOfWorktree, refuseDirty, worktreeDirOf } from './workspace.js';

export interface StartOptions {
  task: string;
  worktree: boolean;
  fast: boolean;
  allowDeps: boolean;
  allowDirty: boolean;
  timeMin?: number;
  maxTicks?: number;
  runsDir?: string;
  /** Commit the worktree starts from (default HEAD); the orchestrator passes the previous task's last checkpoint. */
  base?: string;
  /** Extra params recorded on the run (the orchestrator links its task runs: orchestration_id, track, task_index). */
  params?: Record<string, unknown>;
  /** Use this run id (made by `runr submit`) instead of a fresh one. */
  runId?: string;
}

export interface StartDeps extends SessionDeps {
  cwd: string;
  /** Called once the run exists and is locked (the CLI prints `{run_id, run_dir, repo_root, status}`). */
  onStarted?: (r: { run_id: string; run_dir: string; repo_root: string }) => void;
  /** Tests inject a store (e.g. with a frozen clock). */
  store?: RunStore;
  /**
   * Facts a caller that starts many task runs already has (the orchestrator: read once per
   * session), so each start skips reading the config and asking git for the repository again.
   */
  prepared?: { config: TaskConfig; repo: RepoInfo };
}

export async function startTaskRun(deps: StartDeps, opts: StartOptions): Promise<SessionResult> {
  const projectOpts: OpenProjectOptions = opts.runsDir !== undefined ? { runsDir: opts.runsDir } : {};
  const project = deps.store?.project ?? openProject(deps.cwd, projectOpts);
  const config = deps.prepared?.config ?? loadTaskConfig(project);
  const taskAbs = path.resolve(deps.cwd, opts.task);
  const task = readTaskFile(taskAbs, opts.task);
  const repo = deps.prepared?.repo ?? (await repoInfo(project.root));
  if (fs.realpathSync(repo.root) !== fs.realpathSync(project.root)) {
    throw new UserError(`task runs need .runr/ at the git repository root (${relToRoot(project, repo.root)}), found it in ${project.root}`);
  }
  const workers = buildWorkers(config, project.root);
  requireWorkersExist(workers);
  const ownPaths = ownPathsFor(project.root, project.runsDir, project.runrDir);
  const locks: HeldLock[] = [];
  let baseline: TaskInfo['baseline_dirty'] = [];
  if (!opts.worktree) {
    baseline = await dirtyBaseline(project.root, ownPaths);
    if (!opts.allowDirty) refuseDirty(baseline);
    locks.push(await acquireInPlaceLock(repo.commonDir));
  }
  const store = deps.store ?? storeFor(project);
  const taskRel = relToRoot(project, taskAbs);
  const timeBudgetMin = opts.timeMin ?? config.limits.time_budget_min;
  const names = phaseWorkers(config);
  const base = opts.worktree ? (opts.base ?? repo.head) : repo.head;
  const worktreeRelOf = (id: string): string | null => (opts.worktree ? relToRoot(project, worktreeDirOf(project.runrDir, id)) : null);
  const startedEvent = (id: string): TaskEventOf<'task.started'> => ({
    type: 'task.started',
    task: { file: taskRel, title: task.title, sha256: sha256Text(task.text) },
    fast: opts.fast,
    options: { worktree: opts.worktree, allow_deps: opts.allowDeps, allow_dirty: opts.allowDirty, time_budget_min: timeBudgetMin },
    limits: { max_verify_retries: config.limits.max_verify_retries, max_review_rounds: config.limits.max_review_rounds, max_ticks: opts.maxTicks ?? config.limits.max_ticks },
    milestones: opts.fast ? fastMilestones(task) : null,
    config: config as unknown as Record<string, unknown>,
    workers: names,
    git: { base_commit: base, branch: `runr/${id}`, original_branch: repo.branch, worktree: worktreeRelOf(id), in_place: !opts.worktree },
    baseline_dirty: baseline,
  });
  let runId = '';
  try {
    // The session lock is taken before the first write, and that write records the start itself
    // (`task.started` with the branch and worktree it will use): a kill -9 at any instant leaves
    // no record at all, or a RUNNING task run with everything `resume` needs (found dead, it is
    // `interrupted`; resume recreates a worktree that was not made yet).
    const run = await store.create(
      {
        kind: 'task',
        workflow: { name: 'task', version: '1', slug: slugify(path.basename(taskAbs).replace(/\.md$/i, '')), artifact_path: '' },
        depth: 'standard',
        prompt: { file: taskRel, sha256: sha256Text(task.text) },
        params: { task: taskRel, fast: opts.fast, worktree: opts.worktree, ...opts.params },
        gates: [],
      },
      {
        ...(opts.runId !== undefined ? { runId: opts.runId } : {}),
        beforeWrite: async (id) => {
          locks.push(await acquireRunLock(store, id, 'task run'));
        },
        alsoRecord: (id) => [startedEvent(id)],
      },
    );
    runId = run.run_id;
    const started = startedEvent(runId);
    fs.writeFileSync(taskCopyFile(store, runId), task.text);
    deps.onStarted?.({ run_id: runId, run_dir: store.runDir(runId), repo_root: project.root });
    const branch = started.git.branch;
    let workDir = project.root;
    let gitDir = repo.gitDir;
    const worktreeRel = started.git.worktree;
    try {
      if (opts.worktree) {
        const wt = await createWorktree(project.root, project.runrDir, runId, branch, base, leftOutOfWorktree(project.root, project.runsDir));
        workDir = wt.dir;
        gitDir = worktreeGitDir(wt.dir) ?? (await repoInfo(wt.dir)).gitDir;
      } else {
        await branchInPlace(project.root, branch);
      }
    } catch (err) {
      await store.mutate(runId, () => [{ type: 'run.completed', status: 'FAILED' }]);
      throw err;
    }
    const info: TaskInfo = { task: started.task, fast: started.fast, options: started.options, config: started.config, workers: names, git: started.git, baseline_dirty: baseline };
    const ctx = buildContext(deps, { project, store, runId, info, config, task, workDir, gitDir, commonDir: repo.commonDir, timeBudgetMin, workers, resumed: false });
    const first = decide(null, started);
    ctx.progress(`run ${runId} on branch ${branch}${worktreeRel !== null ? ` in ${worktreeRel}` : ' (in place)'}`);
    return await runSession(ctx, first.next, first.effects, locks.splice(0));
  } finally {
    for (const l of locks) l.release();
  }
}
