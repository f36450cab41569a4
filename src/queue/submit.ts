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
import type { BatchSubmitSpec, PreparedBatch } from './submit-batch.js';
import { prepareBatch } from './submit-batch.js';
import { retryWhileAway } from './server-retry.js';

export interface SubmitOptions {
  cwd: string;
  /** A task file (a task run), `workflow` (a workflow run in CI mode) or `batch` (one run per variant): exactly one. */
  task?: string;
  workflow?: WorkflowJobSpec;
  batch?: BatchSubmitSpec;
  fast: boolean;
  allowDeps: boolean;
  priority: number | null;
  /** An id chosen by the caller (idempotency key); default a fresh one. Not with `batch`. */
  runId?: string;
  maxTicks?: number;
  timeMin?: number;
  env?: NodeJS.ProcessEnv;
}

export interface SubmitResult {
  run_id: string;
  status: 'queued';
  /** false when this run id was already submitted (nothing new was enqueued). */
  created: boolean;
  base_commit: string;
}

/** What a submit will enqueue, checked without the queue server (bad input never reaches it). */
export interface PreparedSubmit {
  /** The repository's top directory. */
  root: string;
  base_commit: string;
  payloads: JobPayload[];
  batch: PreparedBatch | null;
}

function random6(): string {
  let s = '';
  while (s.length < 6) s += randomBytes(8).readBigUInt64BE().toString(36);
  return s.slice(-6);
}

/** Read and check everything a submit needs (files, workflow, batch, git) — no server involved. */
export async function prepareSubmit(o: SubmitOptions): Promise<PreparedSubmit> {
  const kinds = [o.task, o.workflow, o.batch].filter((k) => k !== undefined).length;
  if (kinds !== 1) throw new UserError('submit: give --task <file>, --workflow <name> or --batch <study> <batch_id> (one of them)');
  if (o.runId !== undefined && !isRunId(o.runId)) throw new UserError(`--id: not a run id: ${JSON.stringify(o.runId)}`);
  if (o.runId !== undefined && o.batch !== undefined) throw new UserError('--id: not with --batch (each variant gets its own run id, the same on every submit)');
  if (o.task !== undefined) readTaskText(o.cwd, o.task); // a missing or unreadable task file is named before git is asked
  const root = await gitText(['rev-parse', '--show-toplevel'], { cwd: o.cwd });
  const base = await gitText(['rev-parse', 'HEAD'], { cwd: root });
  const common = { v: 1 as const, base_commit: base, submitted_by: `${os.userInfo().username}@${os.hostname()}` };
  let payloads: JobPayload[];
  let batch: PreparedBatch | null = null;
  if (o.batch !== undefined) {
    batch = await prepareBatch(root, o.cwd, o.batch, o.env ?? {});
    payloads = batch.variants.map((v) => ({ ...common, run_id: v.run_id, kind: 'variant' as const, variant: v.spec }));
  } else if (o.workflow !== undefined) {
    const runId = o.runId ?? makeRunId(o.workflow.slug, new Date(), random6);
    payloads = [{ ...common, run_id: runId, kind: 'workflow', workflow: { ...o.workflow, arg: await workflowArgInRepo(root, o.cwd, o.workflow.arg) } }];
  } else {
    const task = o.task ?? '';
    const { abs: taskAbs, text } = readTaskText(o.cwd, task);
    const rel = path.relative(fs.realpathSync(root), fs.realpathSync(taskAbs));
    if (rel.startsWith('..') || path.isAbsolute(rel)) throw new UserError(`--task: ${task} is outside the repository`);
    const runId = o.runId ?? makeRunId(slugify(path.basename(taskAbs).replace(/\.md$/i, '')), new Date(), random6);
    payloads = [
      {
        ...common,
        run_id: runId,
        kind: 'task',
        task: { file: rel.split(path.sep).join('/'), text },
        fast: o.fast,
        allow_deps: o.allowDeps,
        max_ticks: o.maxTicks ?? null,
        time_min: o.timeMin ?? null,
      },
    ];
  }
  return { root, base_commit: base, payloads, batch };
}

function readTaskText(cwd: string, task: string): { abs: string; text: string } {
  const abs = path.resolve(cwd, task);
  try {
    if (!fs.statSync(abs).isFile()) throw new Error('not a regular file');
    return { abs, text: new TextDecoder('utf-8', { fatal: true }).decode(fs.readFileSync(abs)) };
  } catch (err) {
    throw new UserError(`--task: cannot read ${task}: ${(err as Error).message}`, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file_not_found' : 'invalid_input');
  }
}

/** Register each prepared run (queued) and enqueue it with its run id as the job id. */
export async function enqueuePrepared(backend: QueueBackend, p: PreparedSubmit, priority: number | null): Promise<SubmitResult[]> {
  // Workers start from this commit: it must be on the shared remote (checked once the server
  // answered, so an unreachable server is reported as such even for an unpushed HEAD).
  const onRemote = await gitText(['branch', '-r', '--contains', p.base_commit], { cwd: p.root }).catch(() => '');
  if (onRemote === '') throw new UserError(`HEAD ${p.base_commit.slice(0, 12)} is not on any remote branch: push it first (workers clone the shared remote)`);
  const out: SubmitResult[] = [];
  for (const payload of p.payloads) {
    const runId = payload.run_id;
    // A server that goes away meanwhile (a restart) is waited for, then named (exit 1): a second
    // try of the insert finds its own row (created: false) and goes on.
    const created = await retryWhileAway(backend.target, `register ${runId}`, () => backend.registry.insert({ run_id: runId, payload, priority }));
    // Enqueue even when the row existed: a submit that died between the two steps is completed by
    // the next one, and BullMQ drops a second job with the same id.
    const queued = created ? payload : ((await retryWhileAway(backend.target, `read ${runId}`, () => backend.registry.get(runId)))?.payload ?? payload);
    await backend.enqueue(queued, priority);
    out.push({ run_id: runId, status: 'queued', created, base_commit: p.base_commit });
  }
  return out;
}

/** One run (a task or a workflow): prepare, then enqueue. */
export async function submitRun(backend: QueueBackend, o: SubmitOptions): Promise<SubmitResult> {
  const [r] = await enqueuePrepared(backend, await prepareSubmit(o), o.priority);
  if (r === undefined) throw new UserError('submit: nothing to queue');
  return r;
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
