/**
 * BullMQ adapter: the same Queue/Worker code on PostgreSQL or Redis.
 *
 * A Queue or Worker whose first contact with the server failed is broken for good in BullMQ 6.7
 * on PostgreSQL (its readiness is memoized, see bullmq-pg.ts), so neither is made before the
 * server answered: the Queue is made on first use and made again when its first contact failed;
 * a Worker likewise while `worker()` waits for the server. Every call is tried again while the
 * server is away (server-retry.ts) and then fails with one clear error.
 */
import { Queue, Worker, createPostgresBackend } from 'bullmq';
import type { Job } from 'bullmq';
import type { Pool } from 'pg';
import { JobPayloadSchema } from '../core/queue/payload.js';
import type { JobPayload } from '../core/queue/payload.js';
import type { QueueTarget } from '../core/queue/url.js';
import type { DeliveredJob, JobCounts, LeaseSettings, QueueBackend, QueueWorker } from './backend.js';
import { migrateBullSchema, openBullPool } from './bullmq-pg.js';
import type { Registry } from './registry.js';
import { CALL_TIMEOUT_MS, retryWhileAway, withTimeout } from './server-retry.js';

/** How long `worker()` waits for the server before `runr worker` gives up (a supervisor restarts it). */
const WORKER_READY_MS = 120_000;

type Ctor<T> = (opts: { connection: never }, factory: typeof createPostgresBackend | undefined) => T;

/** Close a Queue or Worker that failed its first contact, without waiting on it for long. */
function discard(x: { close(): Promise<void> }): void {
  void withTimeout(x.close(), 10_000).catch(() => undefined);
}

export class BullBackend implements QueueBackend {
  private readonly pool: Pool | null;
  private migrated: Promise<void> | null = null;
  private queue: Promise<Queue> | null = null;
  private readonly made: Queue[] = [];
  constructor(
    readonly target: QueueTarget,
    readonly registry: Registry,
  ) {
    this.pool = target.backend === 'postgres' ? openBullPool(target.url) : null;
  }

  /** Connection options by backend (typed loosely: the two differ). */
  private connection(): { connection: never } {
    if (this.pool !== null) return { connection: this.pool as never };
    // BullMQ's workers need maxRetriesPerRequest null on their blocking connection.
    return { connection: { url: this.target.url, maxRetriesPerRequest: null, enableOfflineQueue: true } as never };
  }

  private make<T>(ctor: Ctor<T>): T {
    return ctor(this.connection(), this.pool !== null ? createPostgresBackend : undefined);
  }

  /** BullMQ's schema, migrated once per process (tried again after a failure). */
  private schema(): Promise<void> {
    if (this.pool === null) return Promise.resolve();
    if (this.migrated === null) {
      const p = migrateBullSchema(this.pool);
      this.migrated = p;
      p.catch(() => {
        if (this.migrated === p) this.migrated = null;
      });
    }
    return this.migrated;
  }

  /** A Queue that has answered once; made again if its first contact failed. */
  private ready(): Promise<Queue> {
    if (this.queue === null) {
      const p = (async () => {
        await this.schema();
        const q = this.make((o, f) => (f ? new Queue(this.target.queue, o, f) : new Queue(this.target.queue, o)) as unknown as Queue);
        q.on('error', () => undefined); // reconnects by itself; callers see failed operations
        this.made.push(q);
        try {
          await withTimeout(q.waitUntilReady(), CALL_TIMEOUT_MS);
          return q;
        } catch (err) {
          this.made.splice(this.made.indexOf(q), 1);
          discard(q);
          throw err;
        }
      })();
      this.queue = p;
      p.catch(() => {
        if (this.queue === p) this.queue = null;
      });
    }
    return this.queue;
  }

  private call<T>(what: string, fn: (q: Queue) => Promise<T>): Promise<T> {
    return retryWhileAway(this.target, what, async () => fn(await this.ready()));
  }

  async enqueue(payload: JobPayload, priority: number | null): Promise<void> {
    await this.call(`enqueue ${payload.run_id}`, (q) =>
      q.add('task', payload, {
        jobId: payload.run_id,
        // Delivery failures (a worker that died, a refused start) are retried; the registry
        // keeps a finished run finished whatever BullMQ redelivers.
        attempts: 20,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: { count: 10_000 },
        removeOnFail: { count: 10_000 },
        ...(priority !== null ? { priority } : {}),
      }),
    );
  }

  async remove(runId: string): Promise<boolean> {
    const job = await this.call(`find job ${runId}`, (q) => q.getJob(runId));
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
    const c = await this.call('count jobs', (q) => q.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized'));
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
    const w = await retryWhileAway(
      this.target,
      'start the worker',
      async () => {
        await this.schema();
        const x = this.make((o, f) => (f ? new Worker(this.target.queue, processor, { ...o, ...wopts }, f) : new Worker(this.target.queue, processor, { ...o, ...wopts })) as unknown as Worker);
        x.on('error', () => undefined); // until the caller's listener is on
        try {
          await withTimeout(x.waitUntilReady(), CALL_TIMEOUT_MS);
          return x;
        } catch (err) {
          discard(x);
          throw err;
        }
      },
      WORKER_READY_MS,
    );
    // A job taken back from a worker that stopped renewing its lock goes to the head of the queue,
    // not behind the backlog: a run whose worker died is resumed next, by the first free worker.
    w.on('stalled', (jobId: string) => {
      void this.ready()
        .then((q) => q.getJob(jobId))
        .then((j) => j?.changePriority({ priority: 0, lifo: true }))
        .catch(() => undefined); // already taken again (active) or finished: nothing to move
    });
    return {
      close: (force) => w.close(force),
      on: (_e, fn) => {
        w.on('error', fn);
      },
    };
  }

  async close(): Promise<void> {
    // Bounded: a Queue or pool whose server is away must not hold the command's exit.
    for (const q of this.made.splice(0)) await withTimeout(q.close(), 10_000).catch(() => undefined);
    if (this.pool !== null) await withTimeout(this.pool.end(), 10_000).catch(() => undefined);
    await this.registry.close();
  }
}
