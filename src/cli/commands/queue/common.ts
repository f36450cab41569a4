import { UserError } from '../../../core/errors.js';
import type { QueueBackend } from '../../../queue/backend.js';

export function queueUrl(opts: { queue: string | undefined }): string {
  const u = opts.queue ?? process.env.RUNR_QUEUE;
  if (u === undefined || u === '') throw new UserError('--queue <url> is required (or set RUNR_QUEUE)');
  return u;
}

/** Open the queue, run `fn`, always close. */
export async function withQueue<T>(opts: { queue: string | undefined }, fn: (b: QueueBackend) => Promise<T>): Promise<T> {
  const { openQueue } = await import('../../../queue/open.js');
  const backend = await openQueue(queueUrl(opts));
  try {
    return await fn(backend);
  } finally {
    await backend.close();
  }
}
