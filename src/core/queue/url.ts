/** `--queue <url>`: the scheme picks the backend. */
import { UserError } from '../errors.js';

export type BackendKind = 'postgres' | 'redis';

export interface QueueTarget {
  backend: BackendKind;
  url: string;
  /** BullMQ queue name (the URL's `?queue=` parameter; default `runr`). */
  queue: string;
}

const QUEUE_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

export function parseQueueUrl(raw: string): QueueTarget {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new UserError(`--queue: not a URL: ${JSON.stringify(raw)} (expected postgres://… or redis://…)`);
  }
  const scheme = u.protocol.replace(/:$/, '');
  const backend: BackendKind | null = scheme === 'postgres' || scheme === 'postgresql' ? 'postgres' : scheme === 'redis' || scheme === 'rediss' ? 'redis' : null;
  if (backend === null) throw new UserError(`--queue: unsupported scheme ${scheme}:// (expected postgres:// or redis://)`);
  const queue = u.searchParams.get('queue') ?? 'runr';
  if (!QUEUE_NAME_RE.test(queue)) throw new UserError(`--queue: invalid queue name ${JSON.stringify(queue)}`);
  u.searchParams.delete('queue');
  return { backend, url: u.toString(), queue };
}

/** The URL as it may be printed: any password replaced by `***`. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return '(the --queue URL)';
  }
}
