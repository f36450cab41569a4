/**
 * A call to the queue server tried again while the server is away (a restart takes a few seconds),
 * up to a deadline; then one clear error (exit 1, `queue_unavailable`) naming the URL without its
 * password and what was being done — never a hang, never a driver's stack trace. Errors that
 * will not go away by waiting (a constraint, bad input) are thrown at once.
 */
import { StateError } from '../core/errors.js';
import { isTransientServerError } from '../core/queue/transient.js';
import { displayUrl } from '../core/queue/url.js';
import type { QueueTarget } from '../core/queue/url.js';

/** How long a command keeps trying a server that went away before it gives up. */
export const SERVER_RETRY_MS = 30_000;
/** One call that neither answers nor fails within this is given up (and tried again). */
export const CALL_TIMEOUT_MS = 20_000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** `p`, or a rejection saying there was no answer within `ms`. */
export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export async function retryWhileAway<T>(target: QueueTarget, what: string, fn: () => Promise<T>, deadlineMs = SERVER_RETRY_MS): Promise<T> {
  const until = Date.now() + deadlineMs;
  let pause = 250;
  for (;;) {
    try {
      return await withTimeout(fn(), CALL_TIMEOUT_MS);
    } catch (err) {
      if (!isTransientServerError(err)) throw err;
      if (Date.now() + pause > until) {
        const why = err instanceof Error ? err.message : String(err);
        throw new StateError(`--queue ${displayUrl(target.url)}: ${what}: the ${target.backend === 'postgres' ? 'PostgreSQL' : 'Redis'} server did not answer for ${Math.round(deadlineMs / 1000)} s: ${why}`, 'queue_unavailable');
      }
      await sleep(pause);
      pause = Math.min(pause * 2, 2000);
    }
  }
}
