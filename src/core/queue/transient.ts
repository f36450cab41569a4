/**
 * Whether an error from the queue server's driver (pg, ioredis, BullMQ) means "the server is away
 * for now" — restarting, not yet accepting connections, a dropped or refused connection — so the
 * same call may succeed when tried again, as opposed to a refusal that will not change (bad
 * credentials, a missing database, a constraint).
 */

/** PostgreSQL SQLSTATEs of a server going down or coming up, and of a lost connection (class 08). */
const PG_TRANSIENT = new Set(['57P01', '57P02', '57P03', '57P05', '53300', '40001', '40P01']);

const NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTCONN', 'ECONNABORTED', 'EAI_AGAIN']);

const MESSAGES = [
  'Connection terminated',
  'connection timeout',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Client was closed and is not queryable',
  'the database system is',
  'terminating connection',
  'Connection is closed',
  'LOADING',
  'no answer within',
];

export function isTransientServerError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; message?: unknown; errors?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (PG_TRANSIENT.has(code) || code.startsWith('08') || NET_CODES.has(code)) return true;
  const message = typeof e.message === 'string' ? e.message : '';
  if (MESSAGES.some((m) => message.includes(m))) return true;
  // An AggregateError (a connect to several addresses) is transient when its parts are.
  return Array.isArray(e.errors) && e.errors.length > 0 && e.errors.every(isTransientServerError);
}
