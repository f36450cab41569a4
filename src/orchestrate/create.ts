/**
 * `runr orchestrate run`: everything that can be wrong is checked before anything is written — the
 * whole tracks file (load-tracks.ts), the task config and its workers, git (≥ 2.38 for merge-tree),
 * the integration branch — then the orchestration run is created (kind `orchestration`), its
 * integration branch made at HEAD (the user's branch itself is never touched) and `orch.started`
 * recorded. Driving it is session.ts's job (detached, or in this process with --foreground).
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../core/errors.js';
import { slugify } from '../core/ids.js';
import type { CollisionPolicy } from '../core/orchestrate/policy.js';
import { git, gitText } from '../git/exec.js';
import type { RepoInfo } from '../git/repo.js';
import { branchExists, repoInfo } from '../git/repo.js';
import type { TaskConfig } from '../core/tasks/config.js';
import type { OpenProjectOptions } from '../store/project.js';
import { openProject, relToRoot } from '../store/project.js';
import { storeFor } from '../store/open-store.js';
import type { RunStore } from '../store/run-store.js';
import { loadTaskConfig } from '../config/task-section.js';
import { buildWorkers, requireWorkersExist } from '../tasks/context.js';
import { checkedOutIn } from './integration.js';
import type { LoadedTracks } from './load-tracks.js';
import { loadTracks } from './load-tracks.js';

export interface CreateOptions {
  config: string;
  policy: CollisionPolicy;
  maxParallel?: number;
  integrate?: string;
  fast: boolean;
  allowDeps: boolean;
  runsDir?: string;
}

export interface Created {
  orchestrationId: string;
  runDir: string;
  repoRoot: string;
  store: RunStore;
  tracks: LoadedTracks['tracks'];
  integrationBranch: string;
  /** What the checks read (config, repository facts): a driver in this process starts from them. */
  prepared: Prepared;
}

export interface Prepared {
  config: TaskConfig;
  repo: RepoInfo;
}

/** git ≥ 2.38: `merge-tree --write-tree` is how collisions are predicted. */
export async function requireMergeTree(cwd: string): Promise<void> {
  const v = await gitText(['--version'], { cwd });
  const m = /(\d+)\.(\d+)/.exec(v);
  const [maj, min] = m === null ? [0, 0] : [Number(m[1]), Number(m[2])];
  if (maj < 2 || (maj === 2 && min < 38)) throw new UserError(`${v}: runr orchestrate needs git ≥ 2.38 (git merge-tree --write-tree predicts conflicts)`);
}

async function checkBranchName(cwd: string, branch: string): Promise<void> {
  const r = await git(['check-ref-format', '--branch', branch], { cwd, allowFail: true });
  if (r.code !== 0 || branch.startsWith('-')) throw new UserError(`--integrate: ${JSON.stringify(branch)} is not a valid branch name`);
}

/**
 * Make `branch` at `base` unless it exists (then it is kept, as before): one `git update-ref` whose
 * empty old value means "only if absent" — one process where `show-ref` and `git branch` were two.
 */
async function createBranch(cwd: string, branch: string, base: string): Promise<void> {
  const r = await git(['update-ref', '-m', `branch: Created from ${base}`, `refs/heads/${branch}`, base, ''], { cwd, allowFail: true });
  if (r.code !== 0 && !(await branchExists(cwd, branch))) throw new UserError(`could not create the integration branch ${branch}: ${r.stderr.trim() || `git update-ref exited ${r.code}`}`);
}

export async function createOrchestration(deps: { cwd: string; store?: RunStore }, opts: CreateOptions): Promise<Created> {
  const projectOpts: OpenProjectOptions = opts.runsDir !== undefined ? { runsDir: opts.runsDir } : {};
  const project = deps.store?.project ?? openProject(deps.cwd, projectOpts);
  const tracks = await loadTracks(project, deps.cwd, opts.config);
  const config = loadTaskConfig(project);
  requireWorkersExist(buildWorkers(config, project.root));
  const repo = await repoInfo(project.root);
  if (fs.realpathSync(repo.root) !== fs.realpathSync(project.root)) {
    throw new UserError(`runr orchestrate needs .runr/ at the git repository root (${relToRoot(project, repo.root)}), found it in ${project.root}`);
  }
  await requireMergeTree(project.root);
  if (opts.maxParallel !== undefined && opts.maxParallel < 1) throw new UserError('--max-parallel: expected an integer ≥ 1');
  const maxParallel = Math.min(opts.maxParallel ?? tracks.tracks.length, tracks.tracks.length);
  let base = repo.head;
  let exists = false;
  if (opts.integrate !== undefined) {
    await checkBranchName(project.root, opts.integrate);
    if (opts.integrate === repo.branch) throw new UserError(`--integrate: ${opts.integrate} is your checked-out branch; runr never moves it (pick a new branch name, e.g. runr/integration)`);
    const where = await checkedOutIn(project.root, opts.integrate);
    if (where !== null) throw new UserError(`--integrate: ${opts.integrate} is checked out in ${where}; runr only lands on a branch no worktree has checked out`);
    exists = await branchExists(project.root, opts.integrate);
    if (exists) base = await gitText(['rev-parse', '--verify', `refs/heads/${opts.integrate}^{commit}`], { cwd: project.root });
  }
  const store = deps.store ?? storeFor(project);
  const run = await store.create({
    kind: 'orchestration',
    workflow: { name: 'orchestration', version: '1', slug: slugify(path.basename(tracks.file).replace(/\.(ya?ml|json)$/i, '')), artifact_path: '' },
    depth: 'standard',
    prompt: { file: tracks.file, sha256: tracks.sha256 },
    params: { config: tracks.file, policy: opts.policy, max_parallel: maxParallel, fast: opts.fast },
    gates: [],
  });
  const id = run.run_id;
  const branch = opts.integrate ?? `runr/orch/${id}`;
  try {
    if (!exists) await createBranch(project.root, branch, base);
    await store.mutate(id, () => [
      {
        type: 'orch.started',
        config: { file: tracks.file, sha256: tracks.sha256 },
        tracks: tracks.tracks,
        policy: opts.policy,
        max_parallel: maxParallel,
        integration_branch: branch,
        base_commit: base,
        base_branch: repo.branch,
        options: { fast: opts.fast, allow_deps: opts.allowDeps },
      },
    ]);
  } catch (err) {
    await store.mutate(id, () => [{ type: 'run.completed', status: 'FAILED' }]).catch(() => undefined);
    throw err;
  }
  return { orchestrationId: id, runDir: store.runDir(id), repoRoot: project.root, store, tracks: tracks.tracks, integrationBranch: branch, prepared: { config, repo } };
}
