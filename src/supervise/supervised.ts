/**
 * The supervisor's side of a detached session (see detach.ts): once the run exists and is locked,
 * move the log into the run's `logs/` and tell the parent. A parent that is already gone is fine:
 * the session simply goes on.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { StartedMessage } from './detach.js';

/** `logs/supervisor-<n>.log`, n = 1 for the first session of the run, +1 per resumed one. */
function nextLogName(logsDir: string): string {
  let n = 1;
  while (fs.existsSync(path.join(logsDir, `supervisor-${n}.log`))) n += 1;
  return path.join(logsDir, `supervisor-${n}.log`);
}

export function announceStarted(pendingLog: string, r: { run_id: string; run_dir: string; repo_root: string }): void {
  const logsDir = path.join(r.run_dir, 'logs');
  let log = pendingLog;
  try {
    fs.mkdirSync(logsDir, { recursive: true });
    const target = nextLogName(logsDir);
    fs.renameSync(pendingLog, target);
    log = target;
  } catch {
    // Keep writing where we are; the log is a convenience, the journal is the record.
  }
  const msg: StartedMessage = { type: 'runr.session-started', run_id: r.run_id, run_dir: r.run_dir, repo_root: r.repo_root, log };
  if (typeof process.send !== 'function' || !process.connected) return;
  try {
    process.send(msg, undefined, {}, () => {
      if (process.connected) process.disconnect();
    });
  } catch {
    // The parent went away first.
  }
}
