/**
 * `runr worker`: take jobs, run each as an attempt in a clone of the repository, heartbeat and
 * poll for cancels while it runs, then push the record and record the outcome — both fenced by the
 * attempt number, so a worker that lost its lease (paused, partitioned, presumed dead) writes
 * nothing once another worker took the run over.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { JobPayload, Outcome } from '../core/queue/payload.js';
import { variantPaths } from '../core/queue/payload.js';
import type { DeliveredJob, LeaseSettings, QueueBackend } from './backend.js';
import type { RunningChild } from './child.js';
import { readExecResult, readStarted, startChild } from './child.js';
import { restoreRunDir, snapshotRunDir } from './run-state.js';
import { commitRecord, dropRun, insideRepo, localRunTip, prepareSlot, pushRunBranch, restoreRunBranch, Slots } from './slot.js';

export type WorkerEvent =
  | { type: 'ready'; worker: string; concurrency: number; lease: LeaseSettings }
  | { type: 'claimed'; run_id: string; attempt: number }
  | { type: 'skipped'; run_id: string; status: string }
  | { type: 'canceled'; run_id: string; attempt: number | null; kill_ms: number | null }
  | { type: 'finished'; run_id: string; attempt: number; status: Outcome['status']; stop_reason: string | null; branch_sha: string | null }
  | { type: 'resumed'; run_id: string; attempt: number; from_sha: string; from_attempt: number }
  | { type: 'checkpoint'; run_id: string; attempt: number; branch_sha: string }
  | { type: 'branch_replaced'; run_id: string; attempt: number; replaced: string }
  | { type: 'fenced'; run_id: string; attempt: number; op: string; reason: string; current_attempt: number | null }
  | { type: 'error'; run_id: string | null; message: string };

export interface WorkerOptions {
  backend: QueueBackend;
  /** The repository to clone (a path or git URL; its `origin` is where records go). */
  repo: string;
  /** Where the worker keeps its clones and logs. */
  dir: string;
  name: string;
  concurrency: number;
  lease: LeaseSettings;
  heartbeatMs: number;
  /** argv of the run process (the runr launcher with `queue-exec`); the args file is appended. */
  childCommand: readonly string[];
  signal: AbortSignal;
  /** `force`: on a stop, kill runs in hand and hand them back (they are redelivered). */
  force: () => boolean;
  onEvent: (e: WorkerEvent) => void;
}

const DEFAULT_RUNS_DIR = path.join('.runr', 'runs');
/** How long a worker keeps retrying an outcome it could not write (the server away, a restart). */
const FINISH_RETRY_MS = 300_000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** What a run without a worktree made in the clone itself, committed with its record. */
function alsoCommitted(p: JobPayload): string[] {
  if (p.kind === 'workflow') return [p.workflow.artifact_path];
  if (p.kind === 'variant') {
    const v = variantPaths(p.variant);
    return [v.variant_dir, v.registry_csv];
  }
  return [];
}

export function defaultWorkerName(): string {
  return `${os.hostname()}-${process.pid}`;
}

export async function runWorker(o: WorkerOptions): Promise<void> {
  const slots = await Slots.open(path.join(o.dir, 'slots'), o.repo, o.concurrency);
  const logs = path.join(o.dir, 'logs');
  fs.mkdirSync(logs, { recursive: true });
  const children = new Set<RunningChild>();
  const reg = o.backend.registry;
  let handingBack = false;
  // However the worker ends (a second SIGTERM forces the exit, a crash), no run outlives it.
  const killAll = (): void => {
    for (const c of children) c.killNow();
  };
  process.on('exit', killAll);

  const processJob = async (job: DeliveredJob): Promise<void> => {
    const runId = job.runId;
    const claim = await reg.claim(runId, o.name);
    if (claim.kind === 'skip') return o.onEvent({ type: 'skipped', run_id: runId, status: claim.status });
    if (claim.kind === 'missing') return o.onEvent({ type: 'skipped', run_id: runId, status: 'not registered' });
    if (claim.kind === 'canceled') return o.onEvent({ type: 'canceled', run_id: runId, attempt: null, kill_ms: null });
    const token = claim.attempt;
    o.onEvent({ type: 'claimed', run_id: runId, attempt: token });
    const slot = await slots.acquire();
    try {
      await prepareSlot(slot, runId, job.payload.base_commit, DEFAULT_RUNS_DIR);
      // A later attempt continues after the last checkpoint an earlier one pushed (any machine).
      const cp = claim.row.checkpoint;
      let known: string | null = cp?.branch_sha ?? null;
      const resume = cp !== null && (await restoreRunBranch(slot, runId, cp.branch_sha));
      if (cp !== null && resume) {
        restoreRunDir(slot, runId, cp);
        o.onEvent({ type: 'resumed', run_id: runId, attempt: token, from_sha: cp.branch_sha, from_attempt: cp.attempt });
      }
      const p = job.payload;
      if (p.kind === 'task') {
        const taskAbs = insideRepo(slot, p.task.file);
        fs.mkdirSync(path.dirname(taskAbs), { recursive: true });
        if (!fs.existsSync(taskAbs) || fs.readFileSync(taskAbs, 'utf8') !== p.task.text) fs.writeFileSync(taskAbs, p.task.text);
      }
      const resultFile = path.join(logs, `${runId}.a${token}.result.json`);
      fs.rmSync(resultFile, { force: true });
      const child = startChild(o.childCommand, {
        cwd: slot,
        run_id: runId,
        ...(p.kind === 'task'
          ? { task_file: p.task.file, fast: p.fast, allow_deps: p.allow_deps, max_ticks: p.max_ticks, time_min: p.time_min, workflow: null, variant: null }
          : { task_file: '', fast: false, allow_deps: false, max_ticks: null, time_min: null, workflow: p.kind === 'workflow' ? p.workflow : null, variant: p.kind === 'variant' ? p.variant : null }),
        result_file: resultFile,
        resume,
        parent_pid: process.pid,
      }, path.join(logs, `${runId}.a${token}.log`));
      children.add(child);
      // Set from the heartbeat timer (a closure), read after the run process exits.
      const st: { lost: boolean; canceledAt: number | null; killed: Promise<void> | null } = { lost: false, canceledAt: null, killed: null };
      // A new commit on the run's branch (a checkpoint): push it with the record so far, fenced.
      let runEnded = false;
      void child.exited.then(() => (runEnded = true));
      const pushCheckpoint = async (): Promise<void> => {
        // A run that has ended is pushed with its record by `finish`: a checkpoint push now is redundant.
        if (runEnded) return;
        const tip = await localRunTip(slot, runId);
        const runDir = readStarted(resultFile);
        if (tip === null || tip === known || tip === job.payload.base_commit || runDir === null) return;
        const runsDirRel = path.relative(slot, path.dirname(runDir)).split(path.sep).join('/');
        const r = await reg.checkpoint(runId, token, o.name, async (recheck) => {
          const checkedAt = performance.now();
          const files = snapshotRunDir(runDir);
          const sha = (await localRunTip(slot, runId)) ?? tip;
          const p = await pushRunBranch(slot, runId, sha, known, checkedAt, recheck);
          if (p.replaced !== null) o.onEvent({ type: 'branch_replaced', run_id: runId, attempt: token, replaced: p.replaced });
          return { v: 1 as const, attempt: token, branch_sha: sha, runs_dir: runsDirRel, files };
        });
        if (r.ok) {
          known = r.value.branch_sha;
          o.onEvent({ type: 'checkpoint', run_id: runId, attempt: token, branch_sha: known });
        } else {
          if (!st.lost) o.onEvent({ type: 'fenced', run_id: runId, attempt: token, op: 'checkpoint', reason: r.reason, current_attempt: r.current_attempt });
          st.lost = true;
          st.killed ??= child.kill(2000);
        }
      };
      const beat = async (): Promise<void> => {
        try {
          const hb = await reg.heartbeat(runId, token, o.name);
          if (!hb.ok) {
            if (!st.lost) o.onEvent({ type: 'fenced', run_id: runId, attempt: token, op: 'heartbeat', reason: hb.reason, current_attempt: hb.current_attempt });
            st.lost = true;
            st.killed ??= child.kill(2000);
          } else if (hb.value.cancel_requested && st.canceledAt === null) {
            st.canceledAt = Date.now();
            st.killed ??= child.kill(2000);
          } else if (st.canceledAt === null) {
            await pushCheckpoint();
          }
        } catch (err) {
          // The server is away (a restart, a partition): keep the run going and try again; if the
          // lease is lost meanwhile, the next heartbeat that reaches it is refused.
          o.onEvent({ type: 'error', run_id: runId, message: `heartbeat: ${(err as Error).message}` });
        }
      };
      let beating: Promise<void> | null = null;
      const timer = setInterval(() => {
        if (beating) return;
        beating = beat().finally(() => {
          beating = null;
        });
      }, o.heartbeatMs);
      const code = await child.exited;
      clearInterval(timer);
      // A heartbeat still in flight would otherwise reach the row after the outcome (and be refused).
      await (beating as Promise<void> | null);
      if (st.killed) await st.killed;
      const canceledAt = st.canceledAt;
      children.delete(child);
      const killMs = canceledAt === null ? null : Date.now() - canceledAt;
      const result = readExecResult(resultFile);
      const outcome: Outcome =
        canceledAt !== null
          ? { status: 'canceled', stop_reason: 'canceled', detail: 'canceled while running', exit_code: code, branch_sha: null }
          : result === null || result.error !== null
            ? { status: 'failed', stop_reason: result?.reason ?? null, detail: result?.error ?? `the run process exited ${code === null ? 'on a signal' : `with ${code}`} without a result`, exit_code: code, branch_sha: null }
            : { status: result.reason === 'complete' ? 'succeeded' : 'stopped', stop_reason: result.reason, detail: result.detail, exit_code: code, branch_sha: null };
      if (handingBack && canceledAt === null && !st.lost) throw new Error('worker stopped with --force: run handed back to the queue');
      // A lost lease still goes on to `finish`: the refusal is decided (and counted) where the
      // outcome is written, not guessed here.
      const runsDirRel = result !== null ? path.relative(slot, path.dirname(result.run_dir)) : DEFAULT_RUNS_DIR;
      const hasRecord = result !== null && fs.existsSync(path.join(result.run_dir, 'record'));
      let recordSha: string | null = null;
      const finishOnce = () =>
        reg.finish(runId, token, o.name, async (recheck) => {
          const checkedAt = performance.now();
          let sha: string | null = null;
          if (hasRecord) {
            recordSha ??= await commitRecord(slot, runId, runsDirRel, token, job.payload.base_commit, alsoCommitted(job.payload));
            sha = recordSha;
            const p = await pushRunBranch(slot, runId, sha, known, checkedAt, recheck);
            known = sha;
            if (p.replaced !== null) o.onEvent({ type: 'branch_replaced', run_id: runId, attempt: token, replaced: p.replaced });
          }
          return { outcome: { ...outcome, branch_sha: sha }, value: sha };
        });
      // The outcome must reach the fence check: a server restart or a partition delays it, and a
      // transaction the server ended (a pause past its idle limit) is tried again — then refused.
      const finishBy = Date.now() + FINISH_RETRY_MS;
      let fin: Awaited<ReturnType<typeof finishOnce>>;
      for (;;) {
        try {
          fin = await finishOnce();
          break;
        } catch (err) {
          if (Date.now() > finishBy) throw err;
          o.onEvent({ type: 'error', run_id: runId, message: `finish: ${(err as Error).message}; retrying` });
          await sleep(1000);
        }
      }
      if (!fin.ok) {
        o.onEvent({ type: 'fenced', run_id: runId, attempt: token, op: 'finish', reason: fin.reason, current_attempt: fin.current_attempt });
      } else if (outcome.status === 'canceled') {
        o.onEvent({ type: 'canceled', run_id: runId, attempt: token, kill_ms: killMs });
      } else {
        o.onEvent({ type: 'finished', run_id: runId, attempt: token, status: outcome.status, stop_reason: outcome.stop_reason, branch_sha: fin.value });
      }
      await dropRun(slot, runId, runsDirRel).catch(() => undefined);
    } finally {
      slots.release(slot);
    }
  };

  const worker = await o.backend.worker(
    async (job) => {
      try {
        await processJob(job);
      } catch (err) {
        o.onEvent({ type: 'error', run_id: job.runId, message: (err as Error).message });
        throw err; // BullMQ retries the delivery; the registry keeps one outcome
      }
    },
    { concurrency: o.concurrency, lease: o.lease, name: o.name },
  );
  worker.on('error', (err) => o.onEvent({ type: 'error', run_id: null, message: err.message }));
  o.onEvent({ type: 'ready', worker: o.name, concurrency: o.concurrency, lease: o.lease });
  await new Promise<void>((resolve) => {
    if (o.signal.aborted) resolve();
    else o.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  try {
    if (o.force()) {
      handingBack = true;
      await Promise.all([...children].map((c) => c.kill(2000)));
      await worker.close(true);
    } else {
      await worker.close(false);
    }
  } finally {
    process.off('exit', killAll);
  }
}
