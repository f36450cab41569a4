/**
 * The queue behind one interface: BullMQ on PostgreSQL (`createPostgresBackend`) or on Redis, with
 * the same code. BullMQ delivers jobs at least once (job id = run id, so a second submit adds
 * nothing), renews each job's lock while it runs and moves a job whose lock expired back to wait;
 * runr's registry decides what an attempt may record.
 */
import type { JobPayload } from '../core/queue/payload.js';
import type { QueueTarget } from '../core/queue/url.js';
import type { Registry } from './registry.js';

export interface LeaseSettings {
  /** BullMQ lockDuration: a job whose lock is not renewed for this long is presumed stalled. */
  lockDurationMs: number;
  /** BullMQ stalledInterval: how often workers look for stalled jobs. */
  stalledIntervalMs: number;
}

export interface DeliveredJob {
  runId: string;
  payload: JobPayload;
  /** Aborted when BullMQ cancels the job locally (worker closing with --force). */
  signal: AbortSignal | undefined;
}

export interface JobCounts {
  waiting: number;
  active: number;
  completed: number;
  failed: number;
  delayed: number;
}

export interface QueueWorker {
  /** Resolves when the worker has stopped; `force` abandons jobs in hand (they are redelivered). */
  close(force: boolean): Promise<void>;
  on(event: 'error', fn: (err: Error) => void): void;
}

export interface QueueBackend {
  readonly target: QueueTarget;
  readonly registry: Registry;
  enqueue(payload: JobPayload, priority: number | null): Promise<void>;
  /** Remove a waiting job; false when it is active or gone. */
  remove(runId: string): Promise<boolean>;
  counts(): Promise<JobCounts>;
  worker(process: (job: DeliveredJob) => Promise<void>, opts: { concurrency: number; lease: LeaseSettings; name: string }): Promise<QueueWorker>;
  close(): Promise<void>;
}
