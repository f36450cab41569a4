/** Building the session context, shared by start and resume. */
import fs from 'node:fs';
import path from 'node:path';
import type { TaskConfig } from '../core/tasks/config.js';
import type { TaskInfo } from '../core/tasks/record.js';
import type { Project } from '../store/project.js';
import type { RunStore } from '../store/run-store.js';
import type { TaskRunContext } from './context.js';
import { buildMatcher, buildWorkers, ownPathsFor } from './context.js';
import type { TaskFile } from './task-file.js';
import { LINKED_DIRS } from './workspace.js';
import type { TaskHooks } from './hooks.js';

export interface SessionDeps {
  signal: AbortSignal;
  progress: (line: string) => void;
  now?: () => number;
  /** Coordination hooks (the orchestrator's); none for a plain task run. */
  hooks?: TaskHooks;
  /** Refs another part of runr moves during the session (an orchestration's integration branch). */
  ignoreRefs?: readonly string[];
}

export interface ContextInput {
  project: Project;
  store: RunStore;
  runId: string;
  info: TaskInfo;
  config: TaskConfig;
  task: TaskFile;
  workDir: string;
  gitDir: string;
  commonDir: string;
  timeBudgetMin: number | null;
  workers?: TaskRunContext['workers'];
  /** A resumed session (its first checkpoint checks HEAD for a commit made before a crash). */
  resumed: boolean;
}

export function workDirOf(project: Project, info: TaskInfo): string {
  return info.git.worktree === null ? project.root : path.join(project.root, info.git.worktree);
}

function linkedIn(workDir: string, inPlace: boolean): string[] {
  if (inPlace) return [];
  return LINKED_DIRS.filter((n) => {
    try {
      return fs.lstatSync(path.join(workDir, n)).isSymbolicLink();
    } catch {
      return false;
    }
  });
}

export function buildContext(deps: SessionDeps, c: ContextInput): TaskRunContext {
  const now = deps.now ?? Date.now;
  return {
    store: c.store,
    runId: c.runId,
    repoRoot: c.project.root,
    workDir: c.workDir,
    commonDir: c.commonDir,
    gitDir: c.gitDir,
    logsDir: c.store.logsDir(c.runId),
    hooksDir: path.join(c.commonDir, 'hooks'),
    sessionFiles: null,
    guardCarry: null,
    ignoreRefs: [...(deps.ignoreRefs ?? [])],
    info: c.info,
    config: c.config,
    task: c.task,
    matcher: buildMatcher(c.config, c.info),
    workers: c.workers ?? buildWorkers(c.config, c.project.root),
    ownPaths: ownPathsFor(c.project.root, c.project.runsDir, c.project.runrDir, linkedIn(c.workDir, c.info.git.in_place)),
    checkHeadForCheckpoint: c.resumed,
    lastChanged: null,
    committed: null,
    deadline: c.timeBudgetMin === null ? null : now() + c.timeBudgetMin * 60_000,
    signal: deps.signal,
    now,
    redact: (s) => c.store.redactText(s),
    progress: deps.progress,
    hooks: deps.hooks ?? {},
  };
}

/** The task text is kept in logs/ so a resume uses the same task even if the file changed. */
export function taskCopyFile(store: RunStore, runId: string): string {
  return path.join(store.logsDir(runId), 'task.md');
}
