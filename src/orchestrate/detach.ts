/**
 * Detaching the orchestrator: `orchestrate run` (and `resume`) return at once while a separate
 * process drives the tracks. It is spawned in its own session and process group (`detached`), with
 * stdin closed and stdout/stderr appended to the orchestration's `logs/orchestrator.log`, and
 * unref'd so the parent can exit. Its pid goes to `logs/driver.json` until it holds the run lock.
 * (Supervision's detach API for task runs had not landed when this was written; this is the same
 * recipe.)
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { RunStore } from '../store/run-store.js';
import { writeDriver } from './liveness.js';

export function spawnDriver(store: RunStore, id: string, bin: string, runsDir?: string): number {
  const logs = store.logsDir(id);
  fs.mkdirSync(logs, { recursive: true });
  const fd = fs.openSync(path.join(logs, 'orchestrator.log'), 'a');
  try {
    const args = [bin, 'orchestrate', 'drive', id, ...(runsDir !== undefined ? ['--runs-dir', runsDir] : [])];
    const child = spawn(process.execPath, args, { cwd: store.project.root, detached: true, stdio: ['ignore', fd, fd], env: { ...process.env, RUNR_ORCHESTRATION_ID: id } });
    if (child.pid === undefined) throw new Error('could not start the orchestrator process');
    writeDriver(store, id, child.pid);
    child.unref();
    return child.pid;
  } finally {
    fs.closeSync(fd);
  }
}
