/** `runr cancel`: a waiting job is removed; a running one is told through the registry flag its worker polls. */
import type { QueueBackend } from './backend.js';
import type { CancelResult } from './registry.js';

export async function cancelRun(backend: QueueBackend, runId: string): Promise<CancelResult & { removed_job: boolean }> {
  const r = await backend.registry.cancel(runId);
  // A queued run is terminal now; its job is removed too (a worker that got it anyway skips it).
  const removed = r.kind === 'canceled_now' ? await backend.remove(runId) : false;
  return { ...r, removed_job: removed };
}
