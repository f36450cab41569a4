/** Everything the phase handlers need while a session runs (built by start.ts / resume.ts). */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../core/errors.js';
import type { TaskConfig } from '../core/tasks/config.js';
import { phaseWorkers } from '../core/tasks/config.js';
import type { TaskInfo } from '../core/tasks/record.js';
import type { ScopeMatcher } from '../core/tasks/scope.js';
import { makeScopeMatcher } from '../core/tasks/scope.js';
import type { FileFingerprint, MainFingerprint, RefFingerprint } from '../git/repo-fingerprint.js';
import type { RunStore } from '../store/run-store.js';
import type { Worker } from '../workers/types.js';
import { makeWorker } from '../workers/adapters.js';
import { ProcessWorker } from '../workers/process-worker.js';
import { onPath } from './init/detect.js';
import type { TaskFile } from './task-file.js';
import type { TaskHooks } from './hooks.js';

export interface TaskRunContext {
  store: RunStore;
  runId: string;
  /** Absolute repository root (where .runr/ lives). */
  repoRoot: string;
  /** Absolute directory the work happens in (the worktree, or the repository root in place). */
  workDir: string;
  commonDir: string;
  gitDir: string;
  logsDir: string;
  /** The hooks directory in effect when the session started (core.hooksPath resolved, or <common>/hooks). */
  hooksDir: string;
  /** The git files as the session found them (compared again before each checkpoint commit). */
  sessionFiles: FileFingerprint | null;
  /**
   * The refs and main checkout as the last clean guard check saw them (repo-guard.ts): the next
   * guarded effect starts from them instead of asking git again, when nothing but the journal
   * happened in between (the loop clears it before any other effect or hook).
   */
  guardCarry: { refs: RefFingerprint; refsStamp: string | null; main: MainFingerprint | null } | null;
  /** Refs the repository guard leaves alone (moved by runr itself, e.g. an orchestration's integration branch). */
  ignoreRefs: string[];
  info: TaskInfo;
  config: TaskConfig;
  task: TaskFile;
  matcher: ScopeMatcher;
  workers: { plan: Worker; implement: Worker; review: Worker };
  /** Repository-relative paths runr owns inside the work directory (never guarded, never committed). */
  ownPaths: string[];
  /**
   * Whether the next checkpoint must first look for a commit made before a crash. Only a resumed
   * session can find one (within a session, the journal records every commit runr makes).
   */
  checkHeadForCheckpoint: boolean;
  /** Files the last scope check saw changed (this session), reused by REVIEW's diff. */
  lastChanged: string[] | null;
  /** The paths the last checkpoint commit of this session changed (null: none made, or reused). */
  committed: string[] | null;
  /** Epoch ms when the session's time budget runs out, or null. */
  deadline: number | null;
  signal: AbortSignal;
  now: () => number;
  redact: (s: string) => string;
  progress: (line: string) => void;
  hooks: TaskHooks;
}

/** Worker objects for the three phases (a worker used by two phases is built once). */
export function buildWorkers(config: TaskConfig, repoRoot: string): TaskRunContext['workers'] {
  const names = phaseWorkers(config);
  const cache = new Map<string, Worker>();
  const get = (name: string): Worker => {
    let w = cache.get(name);
    if (w === undefined) {
      const cfg = config.workers[name];
      if (cfg === undefined) throw new Error(`no worker ${name}`);
      w = makeWorker(name, cfg, repoRoot);
      cache.set(name, w);
    }
    return w;
  };
  return { plan: get(names.plan), implement: get(names.implement), review: get(names.review) };
}

/**
 * Refuse to start when a process worker's executable does not exist (the operator guide's
 * "Error: claude not found"): cheaper and clearer than a run that stops at its first call.
 */
export function requireWorkersExist(workers: TaskRunContext['workers']): void {
  for (const w of new Set([workers.plan, workers.implement, workers.review])) {
    if (!(w instanceof ProcessWorker)) continue;
    const found = w.command.includes('/') ? fs.existsSync(w.command) : onPath(w.command) !== null;
    // Starts with the operator guide's words ("claude not found") so agents recognise it.
    if (!found) throw new UserError(`${path.basename(w.command)} not found (worker ${w.name}: ${w.command.includes('/') ? `${w.command} does not exist` : 'not on PATH'}; run \`runr doctor\`)`, 'worker_not_found');
  }
}

export function buildMatcher(config: TaskConfig, info: TaskInfo): ScopeMatcher {
  return makeScopeMatcher(config.scope, { allowDeps: info.options.allow_deps });
}

/** runr's own directories, relative to the work directory root. */
export function ownPathsFor(repoRoot: string, runsDir: string, runrDir: string, extra: readonly string[] = []): string[] {
  const rel = (abs: string) => path.relative(repoRoot, abs).split(path.sep).join('/');
  const out = [rel(runsDir), rel(path.join(runrDir, 'worktrees')), ...extra];
  return [...new Set(out.filter((p) => p !== '' && !p.startsWith('..')))];
}

export function workerTimeoutMs(ctx: TaskRunContext, worker: Worker): { timeoutMs: number; byBudget: boolean } {
  const cfg = ctx.config.workers[worker.name];
  const own = (cfg?.timeout_s ?? 2700) * 1000;
  if (ctx.deadline === null) return { timeoutMs: own, byBudget: false };
  const left = Math.max(1, ctx.deadline - ctx.now());
  return left < own ? { timeoutMs: left, byBudget: true } : { timeoutMs: own, byBudget: false };
}
