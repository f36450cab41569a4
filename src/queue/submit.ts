/**
 * `runr submit`: make the run id, register the run (queued) and enqueue it with the run id as the
 * job id. The registry insert and BullMQ's job id both make a second submit of the same id a no-op.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { UserError } from '../core/errors.js';
import { isRunId, makeRunId, slugify } from '../core/ids.js';
import type { JobPayload, WorkflowJobSpec } from '../core/queue/payload.js';
import { gitText } from '../git/exec.js';
import type { QueueBackend } from './backend.js';

export interface SubmitOptions {
  cwd: string;
  /** A task file (a task run), or `workflow` (a workflow run in CI mode): exactly one. */
  task?: string;
  workflow?: WorkflowJobSpec;
  fast: boolean;
  allowDeps: boolean;
  priority: number | null;
  /** An id chosen by the caller (idempotency key); default a fresh one. */
  runId?: string;
  maxTicks?: number;
  timeMin?: number;
}

export interface SubmitResult {
  run_id: string;
  status: 'queued';
  /** false when this run id was already submitted (nothing new was enqueued). */
  created: boolean;
  base_commit: string;
}

function random6(): string {
  let s = '';
  while (s.length < 6) s += randomBytes(8).readBigUInt64BE().toString(36);
  return s.slice(-6);
}

export async function submitRun(backend: QueueBackend, o: SubmitOptions): Promise<SubmitResult> {
  const root = await gitText(['rev-parse', '--show-toplevel'], { cwd: o.cwd });
  const base = await gitText(['rev-parse', 'HEAD'], { cwd: root });
  if ((o.task === undefined) === (o.workflow === undefined)) throw new UserError('submit: give --task <file> or --workflow <name> (one of them)');
  // Workers start from this commit: it must be on the shared remote.
  const onRemote = await gitText(['branch', '-r', '--contains', base], { cwd: root }).catch(() => '');
  if (onRemote === '') throw new UserError(`HEAD ${base.slice(0, 12)} is not on any remote branch: push it first (workers clone the shared remote)`);
  if (o.runId !== undefined && !isRunId(o.runId)) throw new UserError(`--id: not a run id: ${JSON.stringify(o.runId)}`);
  const common = { v: 1 as const, base_commit: base, submitted_by: `${os.userInfo().username}@${os.hostname()}` };
  let payload: JobPayload;
  if (o.workflow !== undefined) {
    const runId = o.runId ?? makeRunId(o.workflow.slug, new Date(), random6);
    payload = { ...common, run_id: runId, kind: 'workflow', workflow: { ...o.workflow, arg: await workflowArgInRepo(root, o.cwd, o.workflow.arg) } };
  } else {
    const task = o.task ?? '';
    const taskAbs = path.resolve(o.cwd, task);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(fs.readFileSync(taskAbs));
    } catch (err) {
      throw new UserError(`--task: cannot read ${task}: ${(err as Error).message}`);
    }
    const rel = path.relative(fs.realpathSync(root), fs.realpathSync(taskAbs));
    if (rel.startsWith('..') || path.isAbsolute(rel)) throw new UserError(`--task: ${task} is outside the repository`);
    const runId = o.runId ?? makeRunId(slugify(path.basename(taskAbs).replace(/\.md$/i, '')), new Date(), random6);
    payload = {
      ...common,
      run_id: runId,
      kind: 'task',
      task: { file: rel.split(path.sep).join('/'), text },
      fast: o.fast,
      allow_deps: o.allowDeps,
      max_ticks: o.maxTicks ?? null,
      time_min: o.timeMin ?? null,
    };
  }
  const runId = payload.run_id;
  const created = await backend.registry.insert({ run_id: runId, payload, priority: o.priority });
  // Enqueue even when the row existed: a submit that died between the two steps is completed by
  // the next one, and BullMQ drops a second job with the same id.
  await backend.enqueue(created ? payload : ((await backend.registry.get(runId))?.payload ?? payload), o.priority);
  return { run_id: runId, status: 'queued', created, base_commit: base };
}

/**
 * The workflow as a worker finds it in its clone: a name stays a name (.runr/workflows); a file
 * path becomes repository-relative. It must load here first, so a bad workflow fails the submit.
 */
async function workflowArgInRepo(root: string, cwd: string, arg: string): Promise<string> {
  const { loadWorkflow } = await import('../workflows/workflow-file.js');
  const { openProject } = await import('../store/project.js');
  const wf = await loadWorkflow(openProject(root), cwd, arg);
  const isPath = arg.includes('/') || /\.(json|ya?ml)$/i.test(arg);
  if (!isPath) return arg;
  const rel = path.relative(fs.realpathSync(root), fs.realpathSync(path.resolve(cwd, arg)));
  if (rel.startsWith('..') || path.isAbsolute(rel)) throw new UserError(`--workflow: ${wf.file} is outside the repository (workers read it from their clone)`);
  return rel.split(path.sep).join('/');
}
