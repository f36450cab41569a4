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
import { acquireRunLock } from '../tasks/run-lock.js';
import { Orchestrator } from './driver.js';
import { Integration } from './integration.js';
import { orchestratorAlive } from './liveness.js';

export interface DriveDeps {
  cwd: string;
  signal: AbortSignal;
  progress: (line: string) => void;
  store?: RunStore;
  runsDir?: string;
  /** The pid that `orchestrate run` spawned (this process) may hold its slot in driver.json. */
  self?: boolean;
}

export function openOrchestrationStore(deps: Pick<DriveDeps, 'cwd' | 'store' | 'runsDir'>): RunStore {
  if (deps.store !== undefined) return deps.store;
  const projectOpts: OpenProjectOptions = deps.runsDir !== undefined ? { runsDir: deps.runsDir } : {};
  return storeFor(openProject(deps.cwd, projectOpts));
}

export function resolveOrchestration(store: RunStore, arg: string): string {
  const id = store.resolve(arg, '<orchestration_id>');
  const run = store.load(id).run;
  if (run.kind !== 'orchestration') throw new UserError(`<orchestration_id>: ${id} is a ${run.kind ?? 'workflow'} run, not an orchestration`);
  return id;
}

/** Drive orchestration `id`. `resume`: continue one that stopped or whose orchestrator died. */
export async function driveOrchestration(deps: DriveDeps, id: string, mode: 'start' | 'resume'): Promise<OrchestrationState> {
  const store = openOrchestrationStore(deps);
  const project = store.project;
  if (mode === 'resume' && deps.self !== true && orchestratorAlive(store, id)) throw new StateError(`orchestration ${id} is still running; it cannot be resumed while its orchestrator is alive`);
  let lock;
  try {
    lock = await acquireRunLock(store, id, 'orchestrator');
  } catch {
    throw new StateError(`orchestration ${id} is still running (its orchestrator holds the lock)`);
  }
  try {
    let run = store.load(id).run;
    const s = orchestrationOf(run);
    if (s === null) throw new StateError(`${id} has no orchestration state (it failed before it started)`);
    if (mode === 'resume') {
      if (s.status === 'complete') throw new StateError(`orchestration ${id} is already complete; every task landed on ${s.integration.branch}`);
      if (run.status === 'RUNNING') run = await store.mutate(id, () => [{ type: 'orch.stopped', reason: 'interrupted', detail: 'the orchestrator process died' }]);
      await store.mutate(id, () => [{ type: 'orch.resumed', session: s.session + 1 }]);
    } else if (s.status !== 'running') {
      throw new StateError(`orchestration ${id} already ran; use \`runr orchestrate resume ${id}\``);
    }
    const integration = await Integration.open(project.root, project.runrDir, id, s.integration.branch);
    const o = new Orchestrator({ project, store, id, config: loadTaskConfig(project), integration, signal: deps.signal, progress: deps.progress });
    return await o.run();
  } finally {
    lock.release();
  }
}
