/** Open the queue named by `--queue <url>`: the BullMQ backend and the registry on the same server. */
import { StateError } from '../core/errors.js';
import { displayUrl, parseQueueUrl } from '../core/queue/url.js';
import type { QueueTarget } from '../core/queue/url.js';
import type { QueueBackend } from './backend.js';

/** How long the first contact with the server may take before the command gives up. */
const CONNECT_TIMEOUT_MS = 15_000;

export async function openQueue(rawUrl: string): Promise<QueueBackend> {
  const target = parseQueueUrl(rawUrl);
  const { BullBackend } = await import('./bullmq.js');
  // Drivers are static imports of lazily loaded modules: the CLI bundle keeps them external and
  // `require`s them (a dynamic import() of a package does not work inside the bundle's loader).
  const registry =
    target.backend === 'postgres'
      ? (await import('./registry-pg.js')).openPgRegistry(target.url, target.queue)
      : (await import('./registry-redis.js')).openRedisRegistry(target);
  await reach(target, registry);
  return new BullBackend(target, registry);
}

/**
 * The registry's first contact with the server (creating its schema). A server that is down,
 * refuses the login or does not answer is the user's environment, not a bug in runr: a one-line
 * error naming the URL without its password (exit 1, `queue_unavailable`), and the registry closed.
 */
async function reach(target: QueueTarget, registry: { init(): Promise<void>; close(): Promise<void> }): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS);
  });
  try {
    await Promise.race([registry.init(), timeout]);
  } catch (err) {
    void registry.close().catch(() => undefined);
    const why = err instanceof Error ? err.message : String(err);
    throw new StateError(`--queue ${displayUrl(target.url)}: cannot reach the ${target.backend === 'postgres' ? 'PostgreSQL' : 'Redis'} server: ${why}`, 'queue_unavailable');
  } finally {
    clearTimeout(timer);
  }
}
