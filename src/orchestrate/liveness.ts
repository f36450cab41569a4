/**
 * Is an orchestration's orchestrator alive? It holds the run's session lock (`logs/run.lock`, as
 * task runs do) while it works; between `orchestrate run` spawning it and it taking the lock, the
 * spawned pid (`logs/driver.json`) counts. An orchestration that says RUNNING with neither alive is
 * dead: it is recorded as stopped (`interrupted`, resumable with `runr orchestrate resume`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as z from 'zod';
import type { RunRecord } from '../core/schemas/run.js';
import { pidAlive } from '../store/lock.js';
import type { RunStore } from '../store/run-store.js';
import { acquireRunLock, runAlive } from '../tasks/run-lock.js';

const DriverSchema = z.object({ pid: z.number().int().positive(), host: z.string(), started_at: z.string() });
export type DriverInfo = z.infer<typeof DriverSchema>;

export function driverFile(store: RunStore, id: string): string {
  return path.join(store.logsDir(id), 'driver.json');
}

export function readDriver(store: RunStore, id: string): DriverInfo | null {
  try {
    const r = DriverSchema.safeParse(JSON.parse(fs.readFileSync(driverFile(store, id), 'utf8')));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

export function writeDriver(store: RunStore, id: string, pid: number): void {
  fs.mkdirSync(store.logsDir(id), { recursive: true });
  fs.writeFileSync(driverFile(store, id), `${JSON.stringify({ pid, host: os.hostname(), started_at: new Date().toISOString() })}\n`);
}

export function orchestratorAlive(store: RunStore, id: string): boolean {
  if (runAlive(store, id)) return true;
  const d = readDriver(store, id);
  return d !== null && d.host === os.hostname() && pidAlive(d.pid);
}

/** Record a dead orchestrator's orchestration as stopped (under its lock, so only one reader does it). */
export async function reconcileOrchestration(store: RunStore, run: RunRecord): Promise<RunRecord> {
  if (run.kind !== 'orchestration' || run.status !== 'RUNNING' || orchestratorAlive(store, run.run_id)) return run;
  let lock;
  try {
    lock = await acquireRunLock(store, run.run_id, 'reconcile');
  } catch {
    return run;
  }
  try {
    return await store.mutate(run.run_id, (cur) =>
      cur?.status === 'RUNNING' ? [{ type: 'orch.stopped', reason: 'interrupted', detail: 'the orchestrator process died; `runr orchestrate resume` continues without running any task twice' }] : [],
    );
  } finally {
    lock.release();
  }
}
