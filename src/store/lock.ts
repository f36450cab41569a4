/**
 * A lock file with liveness: `{pid, host, token, acquired_at}` created with O_EXCL; the holder's
 * heartbeat is the file's mtime, refreshed every `heartbeatMs` while held. A lock is stale when
 * its holder is on this host and its pid is gone, or when its heartbeat is older than `staleMs`
 * (any host). A stale lock is taken over through a short-lived "steal" lock so that two processes
 * that both saw the same stale holder never both win (the classic unlink/create race).
 *
 * Hand-written on purpose: proper-lockfile (mkdir + mtime) records neither pid nor host, and we
 * need both to tell "crashed writer" from "slow writer" on the same machine in milliseconds.
 */
import fs from 'node:fs';
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { lazySchema } from '../core/lazy-schema.js';
import { StateError } from '../core/errors.js';

export const LockInfoSchema = lazySchema(() => z.object({
  schema_version: z.literal(1),
  pid: z.number().int(),
  host: z.string(),
  token: z.string(),
  acquired_at: z.string(),
  purpose: z.string().optional(),
}));
export type LockInfo = z.infer<typeof LockInfoSchema>;

export interface LockOptions {
  /** How long to wait for a live holder before giving up (ms). 0 = fail at once. */
  waitMs?: number;
  /** A heartbeat older than this makes the lock stale even if the pid looks alive. */
  staleMs?: number;
  /** Refresh the heartbeat this often while held (ms); 0 disables it (short critical sections). */
  heartbeatMs?: number;
  purpose?: string;
  signal?: AbortSignal;
}

export interface HeldLock {
  readonly file: string;
  readonly info: LockInfo;
  release(): void;
}

export type LockState =
  | { kind: 'free' }
  | { kind: 'held'; info: LockInfo; heartbeatAgeMs: number }
  | { kind: 'stale'; info: LockInfo | null; heartbeatAgeMs: number; why: 'dead_pid' | 'old_heartbeat' | 'unreadable' };

const DEFAULT_STALE_MS = 30_000;

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !isZombie(pid);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A killed process whose parent never reaps it (a detached runr process orphaned to an init that
 * does not wait, as in some containers) still answers `kill(pid, 0)`; on Linux its state is Z.
 */
function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}

export function inspectLock(file: string, staleMs = DEFAULT_STALE_MS, now = Date.now()): LockState {
  let raw: string;
  let mtimeMs: number;
  try {
    raw = fs.readFileSync(file, 'utf8');
    mtimeMs = fs.statSync(file).mtimeMs;
  } catch (err) {
    // No lock file, or no directory to hold one (`logs` replaced by a file): nobody holds it.
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'free' };
    throw err;
  }
  const age = Math.max(0, now - mtimeMs);
  let info: LockInfo | null = null;
  try {
    const parsed = LockInfoSchema.safeParse(JSON.parse(raw));
    info = parsed.success ? parsed.data : null;
  } catch {
    info = null;
  }
  if (info === null) {
    // A holder writes its content right after creating the file; give it a moment.
    return age > 2_000 ? { kind: 'stale', info: null, heartbeatAgeMs: age, why: 'unreadable' } : { kind: 'held', info: { schema_version: 1, pid: -1, host: '?', token: '?', acquired_at: '' }, heartbeatAgeMs: age };
  }
  if (info.host === os.hostname() && !pidAlive(info.pid)) return { kind: 'stale', info, heartbeatAgeMs: age, why: 'dead_pid' };
  if (age > staleMs) return { kind: 'stale', info, heartbeatAgeMs: age, why: 'old_heartbeat' };
  return { kind: 'held', info, heartbeatAgeMs: age };
}

function tryCreate(file: string, info: LockInfo): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    fs.writeSync(fd, JSON.stringify(info));
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

/** Remove a stale lock if it is still the same stale holder, under a steal lock. */
function breakStale(file: string, seen: LockInfo | null, staleMs: number): void {
  const stealFile = `${file}.steal`;
  const me: LockInfo = { schema_version: 1, pid: process.pid, host: os.hostname(), token: randomBytes(8).toString('hex'), acquired_at: new Date().toISOString(), purpose: 'steal' };
  if (!tryCreate(stealFile, me)) {
    const st = inspectLock(stealFile, 5_000);
    if (st.kind === 'stale') fs.rmSync(stealFile, { force: true });
    return;
  }
  try {
    const now = inspectLock(file, staleMs);
    if (now.kind === 'stale' && (now.info?.token ?? null) === (seen?.token ?? null)) fs.rmSync(file, { force: true });
  } finally {
    fs.rmSync(stealFile, { force: true });
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function acquireLock(file: string, opts: LockOptions = {}): Promise<HeldLock> {
  const staleMs = opts.staleMs ?? DEFAULT_STALE_MS;
  const deadline = Date.now() + (opts.waitMs ?? 10_000);
  const info: LockInfo = {
    schema_version: 1,
    pid: process.pid,
    host: os.hostname(),
    token: randomBytes(8).toString('hex'),
    acquired_at: new Date().toISOString(),
    ...(opts.purpose !== undefined ? { purpose: opts.purpose } : {}),
  };
  let delay = 2;
  for (;;) {
    if (tryCreate(file, info)) return hold(file, info, opts.heartbeatMs ?? 0);
    const state = inspectLock(file, staleMs);
    if (state.kind === 'stale') {
      breakStale(file, state.info, staleMs);
      continue;
    }
    if (state.kind === 'held' && (Date.now() >= deadline || opts.signal?.aborted === true)) {
      const who = state.info.pid > 0 ? ` by pid ${state.info.pid} on ${state.info.host}${state.info.purpose ? ` (${state.info.purpose})` : ''}` : '';
      throw new StateError(`${file}: locked${who}; try again when it finishes`, 'run_locked');
    }
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 50);
  }
}

/**
 * One attempt, without waiting: the lock, or null when a live holder has it. A stale holder is
 * broken first, as `acquireLock` does. For readers that may repair a record but must never wait.
 */
export function tryAcquireLockSync(file: string, opts: Pick<LockOptions, 'staleMs' | 'purpose'> = {}): HeldLock | null {
  const staleMs = opts.staleMs ?? DEFAULT_STALE_MS;
  const info: LockInfo = { schema_version: 1, pid: process.pid, host: os.hostname(), token: randomBytes(8).toString('hex'), acquired_at: new Date().toISOString(), ...(opts.purpose !== undefined ? { purpose: opts.purpose } : {}) };
  for (let tries = 0; tries < 2; tries++) {
    if (tryCreate(file, info)) return hold(file, info, 0);
    const state = inspectLock(file, staleMs);
    if (state.kind !== 'stale') return null;
    breakStale(file, state.info, staleMs);
  }
  return null;
}

function hold(file: string, info: LockInfo, heartbeatMs: number): HeldLock {
  let timer: NodeJS.Timeout | undefined;
  if (heartbeatMs > 0) {
    timer = setInterval(() => {
      const t = new Date();
      try {
        fs.utimesSync(file, t, t);
      } catch {
        // Lock file gone: nothing to refresh; release() will notice.
      }
    }, heartbeatMs);
    timer.unref();
  }
  let released = false;
  return {
    file,
    info,
    release() {
      if (released) return;
      released = true;
      if (timer) clearInterval(timer);
      // Only remove the file if it is still ours (it may have been broken as stale).
      try {
        const cur = LockInfoSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
        if (cur.success && cur.data.token === info.token) fs.rmSync(file, { force: true });
      } catch {
        // Already gone.
      }
    },
  };
}

export async function withLock<T>(file: string, opts: LockOptions, fn: () => Promise<T> | T): Promise<T> {
  const lock = await acquireLock(file, opts);
  try {
    return await fn();
  } finally {
    lock.release();
  }
}
