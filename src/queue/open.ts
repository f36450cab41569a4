/** Open the queue named by `--queue <url>`: the BullMQ backend and the registry on the same server. */
import { parseQueueUrl } from '../core/queue/url.js';
import type { QueueBackend } from './backend.js';

export async function openQueue(rawUrl: string): Promise<QueueBackend> {
  const target = parseQueueUrl(rawUrl);
  const { BullBackend } = await import('./bullmq.js');
  if (target.backend === 'postgres') {
    // Drivers are static imports of lazily loaded modules: the CLI bundle keeps them external and
    // `require`s them (a dynamic import() of a package does not work inside the bundle's loader).
    const { openPgRegistry } = await import('./registry-pg.js');
    const registry = openPgRegistry(target.url, target.queue);
    await registry.init();
    return new BullBackend(target, registry);
  }
  const { openRedisRegistry } = await import('./registry-redis.js');
  const registry = openRedisRegistry(target);
  await registry.init();
  return new BullBackend(target, registry);
}
