/** BullMQ adapter: the same Queue/Worker code on PostgreSQL or Redis. */
import { Queue, Worker, createPostgresBackend } from 'bullmq';
import type { Job } from 'bullmq';
import { JobPayloadSchema } from '../core/queue/payload.js';
import type { JobPayload } from '../core/queue/payload.js';
import type { QueueTarget } from '../core/queue/url.js';
import type { DeliveredJob, JobCounts, LeaseSettings, QueueBackend, QueueWorker } from './backend.js';
import type { Registry } from './registry.js';

/** Connection options for BullMQ's classes, by backend (typed loosely: the two differ). */
function connection(target: QueueTarget): { connection: never } {
  if (target.backend === 'postgres') return { connection: { connectionString: target.url, migrate: true, keepAlive: true } as never };
  // BullMQ's workers need maxRetriesPerRequest null on their blocking connection.
  return { connection: { url: target.url, maxRetriesPerRequest: null, enableOfflineQueue: true } as never };
}

function make<T>(target: QueueTarget, ctor: (opts: { connection: never }, factory: typeof createPostgresBackend | undefined) => T): T {
  return ctor(connection(target), target.backend === 'postgres' ? createPostgresBackend : undefined);
}

export class BullBackend implements QueueBackend {
  private readonly queue: Queue;
  constructor(
    readonly target: QueueTarget,
    readonly registry: Registry,
  ) {
    this.queue = make(target, (o, f) => (f ? new Queue(target.queue, o, f) : new Queue(target.queue, o)) as unknown as Queue);
    this.queue.on('error', () => undefined); // reconnects by itself; callers see failed operations
  }

  async enqueue(payload: JobPayload, priority: number | null): Promise<void> {
    await this.queue.add('task', payload, {
      jobId: payload.run_id,
      // Delivery failures (a worker that died, a refused start) are retried; the registry
      // keeps a finished run finished whatever BullMQ redelivers.
      attempts: 20,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: { count: 10_000 },
      removeOnFail: { count: 10_000 },
      ...(priority !== null ? { priority } : {}),
    });
  }

  async remove(runId: string): Promise<boolean> {
    const job = await this.queue.getJob(runId);
    if (!job) return false;
    const state = await job.getState();
    if (state === 'active') return false;
    try {
      await job.remove();
      return true;
    } catch {
      return false; // taken by a worker meanwhile (locked)
    }
  }

  async counts(): Promise<JobCounts> {
    const c = await this.queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized');
    return { waiting: (c.waiting ?? 0) + (c.prioritized ?? 0), active: c.active ?? 0, completed: c.completed ?? 0, failed: c.failed ?? 0, delayed: c.delayed ?? 0 };
  }

  async worker(process: (job: DeliveredJob) => Promise<void>, opts: { concurrency: number; lease: LeaseSettings; name: string }): Promise<QueueWorker> {
    const processor = async (job: Job, _token?: string, signal?: AbortSignal): Promise<void> => {
      const payload = JobPayloadSchema.parse(job.data);
      await process({ runId: payload.run_id, payload, signal });
    };
    const wopts = {
      concurrency: opts.concurrency,
      lockDuration: opts.lease.lockDurationMs,
      stalledInterval: opts.lease.stalledIntervalMs,
      // A run whose worker died is moved back to wait each time; the registry bounds the outcome.
      maxStalledCount: 1000,
      name: opts.name,
      autorun: true,
    };
    const w = make(this.target, (o, f) => (f ? new Worker(this.target.queue, processor, { ...o, ...wopts }, f) : new Worker(this.target.queue, processor, { ...o, ...wopts })) as unknown as Worker);
    // A job taken back from a worker that stopped renewing its lock goes to the head of the queue,
    // not behind the backlog: a run whose worker died is resumed next, by the first free worker.
    w.on('stalled', (jobId: string) => {
      void this.queue
        .getJob(jobId)
        .then((j) => j?.changePriority({ priority: 0, lifo: true }))
        .catch(() => undefined); // already taken again (active) or finished: nothing to move
    });
    await w.waitUntilReady();
    return {
      close: (force) => w.close(force),
      on: (_e, fn) => {
        w.on('error', fn);
      },
    };
  }

  async close(): Promise<void> {
    await this.queue.close();
    await this.registry.close();
  }
}
