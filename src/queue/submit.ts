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
import type { JobPayload } from '../core/queue/payload.js';
import { gitText } from '../git/exec.js';
import type { QueueBackend } from './backend.js';

export interface SubmitOptions {
  cwd: string;
  task: string;
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
  const taskAbs = path.resolve(o.cwd, o.task);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(fs.readFileSync(taskAbs));
  } catch (err) {
    throw new UserError(`--task: cannot read ${o.task}: ${(err as Error).message}`);
  }
  const rel = path.relative(fs.realpathSync(root), fs.realpathSync(taskAbs));
  if (rel.startsWith('..') || path.isAbsolute(rel)) throw new UserError(`--task: ${o.task} is outside the repository`);
  // Workers start from this commit: it must be on the shared remote.
  const onRemote = await gitText(['branch', '-r', '--contains', base], { cwd: root }).catch(() => '');
  if (onRemote === '') throw new UserError(`HEAD ${base.slice(0, 12)} is not on any remote branch: push it first (workers clone the shared remote)`);
  if (o.runId !== undefined && !isRunId(o.runId)) throw new UserError(`--id: not a run id: ${JSON.stringify(o.runId)}`);
  const runId = o.runId ?? makeRunId(slugify(path.basename(taskAbs).replace(/\.md$/i, '')), new Date(), random6);
  const payload: JobPayload = {
    v: 1,
    run_id: runId,
    kind: 'task',
    task: { file: rel.split(path.sep).join('/'), text },
    fast: o.fast,
    allow_deps: o.allowDeps,
    base_commit: base,
    max_ticks: o.maxTicks ?? null,
    time_min: o.timeMin ?? null,
    submitted_by: `${os.userInfo().username}@${os.hostname()}`,
  };
  const created = await backend.registry.insert({ run_id: runId, payload, priority: o.priority });
  // Enqueue even when the row existed: a submit that died between the two steps is completed by
  // the next one, and BullMQ drops a second job with the same id.
  await backend.enqueue(created ? payload : ((await backend.registry.get(runId))?.payload ?? payload), o.priority);
  return { run_id: runId, status: 'queued', created, base_commit: base };
}
