/**
 * One session of the orchestrator (a start or a resume): take the orchestration's session lock,
 * open the integration worktree, drive every track until it has landed or stopped, release.
 */
import { StateError, UserError } from '../core/errors.js';
import type { OrchestrationState } from '../core/orchestrate/state.js';
import { orchestrationOf } from '../core/orchestrate/state.js';
import type { OpenProjectOptions } from '../store/project.js';
import { openProject } from '../store/project.js';
import { storeFor } from '../store/open-store.js';
import type { RunStore } from '../store/run-store.js';
import { loadTaskConfig } from '../config/task-section.js';
import type { HeldLock } from '../store/lock.js';
import { acquireLock } from '../store/lock.js';
import { HEARTBEAT_MS, runLockFile, STALE_MS } from '../tasks/run-lock.js';
import { useGitThread } from '../git/spawn-thread.js';
import type { Prepared } from './create.js';
import { Orchestrator } from './driver.js';
import { Integration } from './integration.js';
import { orchestratorAlive } from './liveness.js';

export interface DriveDeps {
  cwd: string;
  signal: AbortSignal;
  progress: (line: string) => void;
  store?: RunStore;
  runsDir?: string;
  /** This is the detached driver process (it waits for the lock its parent may still hold). */
  self?: boolean;
  /** The config and repository facts `orchestrate run` just read, when it drives in this process. */
  prepared?: Prepared;
}

export function openOrchestrationStore(deps: Pick<DriveDeps, 'cwd' | 'store' | 'runsDir'>): RunStore {
  if (deps.store !== undefined) return deps.store;
  const projectOpts: OpenProjectOptions = deps.runsDir !== undefined ? { runsDir: deps.runsDir } : {};
  return storeFor(openProject(deps.cwd, projectOpts));
}

export function resolveOrchestration(store: RunStore, arg: string): string {
  // `latest` is the latest orchestration (its task runs are newer runs, but not what was asked for).
  if (arg === 'latest') {
    const ids = store.listIds();
    for (let i = ids.length - 1; i >= 0; i--) {
      const id = ids[i] as string;
      try {
        if (store.load(id).run.kind === 'orchestration') return id;
      } catch {
        // an unreadable run is not the orchestration asked for
      }
    }
    throw new UserError(`<orchestration_id>: no orchestration in ${store.display(store.runsDir)}`);
  }
  const id = store.resolve(arg, '<orchestration_id>');
  const run = store.load(id).run;
  if (run.kind !== 'orchestration') throw new UserError(`<orchestration_id>: ${id} is a ${run.kind ?? 'workflow'} run, not an orchestration`);
  return id;
}

async function lockOrRefuse(store: RunStore, id: string, waitMs: number): Promise<HeldLock> {
  try {
    return await acquireLock(runLockFile(store, id), { waitMs, heartbeatMs: HEARTBEAT_MS, staleMs: STALE_MS, purpose: 'orchestrator' });
  } catch {
    throw new StateError(`orchestration ${id} is still running (its orchestrator holds the lock)`);
  }
}

/** Record the resume (a dead session first becomes `interrupted`); the caller holds the lock. */
async function markResumed(store: RunStore, id: string): Promise<void> {
  const run = store.load(id).run;
  const s = orchestrationOf(run);
  if (s === null) throw new StateError(`${id} has no orchestration state (it failed before it started)`);
  if (s.status === 'complete') throw new StateError(`orchestration ${id} is already complete; every task landed on ${s.integration.branch}`);
  if (run.status === 'RUNNING') await store.mutate(id, () => [{ type: 'orch.stopped', reason: 'interrupted', detail: 'the orchestrator process died' }]);
  await store.mutate(id, () => [{ type: 'orch.resumed', session: s.session + 1 }]);
}

/**
 * `orchestrate resume` without --foreground: record the resume and start the detached driver while
 * holding the lock (two resumes never both spawn one); the driver takes the lock when this returns.
 */
export async function resumeDetached(store: RunStore, id: string, spawn: () => void): Promise<void> {
  if (orchestratorAlive(store, id)) throw new StateError(`orchestration ${id} is still running; it cannot be resumed while its orchestrator is alive`);
  const lock = await lockOrRefuse(store, id, 0);
  try {
    await markResumed(store, id);
    spawn();
  } finally {
    lock.release();
  }
}

/**
 * Drive orchestration `id`. `start`: one that is running (just created, or resumed by
 * `resumeDetached`; the detached driver waits a little for the lock its parent still holds).
 * `resume`: continue one that stopped or whose orchestrator died (in this process).
 */
export async function driveOrchestration(deps: DriveDeps, id: string, mode: 'start' | 'resume'): Promise<OrchestrationState> {
  const store = openOrchestrationStore(deps);
  const project = store.project;
  if (mode === 'resume' && orchestratorAlive(store, id)) throw new StateError(`orchestration ${id} is still running; it cannot be resumed while its orchestrator is alive`);
  const lock = await lockOrRefuse(store, id, deps.self === true ? 15_000 : 0);
  let git: ReturnType<typeof useGitThread> | null = null;
  try {
    if (mode === 'resume') await markResumed(store, id);
    const s = orchestrationOf(store.load(id).run);
    if (s === null) throw new StateError(`${id} has no orchestration state (it failed before it started)`);
    if (s.status !== 'running') throw new StateError(`orchestration ${id} is ${s.status}; use \`runr orchestrate resume ${id}\``);
    // RUNR_GIT_THREAD=1 (experimental, off by default): every git process of this session starts
    // from a worker thread, so a spawn never stalls the other tracks (spawn-thread.ts says why).
    // Off because on this 2-core machine under load it measured no faster end to end, and a
    // foreground orchestrator with it on was seen to exit 0 early, cause not found (docs/orchestrate.md).
    if (process.env.RUNR_GIT_THREAD === '1') git = useGitThread();
    // The first session of an orchestration made its branch moments ago: its head is the journal's.
    const integration = await Integration.open(project.root, project.runrDir, id, s.integration.branch, s.session === 1 && s.landed_count === 0 ? s.integration.head : null);
    const config = deps.prepared?.config ?? loadTaskConfig(project);
    const o = new Orchestrator({ project, store, id, config, integration, signal: deps.signal, progress: deps.progress, ...(deps.prepared !== undefined ? { repo: deps.prepared.repo } : {}) });
    return await o.run();
  } finally {
    lock.release();
    await git?.stop();
  }
}
