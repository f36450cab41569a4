/** `runr queue status` and waiting on a queued run: read from the registry (the source of truth). */
import { isTerminal } from '../core/queue/states.js';
import type { RegistryStatus } from '../core/queue/states.js';
import { REGISTRY_STATUSES } from '../core/queue/states.js';
import { InterruptedError } from '../core/errors.js';
import type { JobCounts, QueueBackend } from './backend.js';
import type { RegistryRow } from './registry.js';

export interface QueueRunView {
  run_id: string;
  status: RegistryStatus;
  attempt: number;
  worker: string | null;
  submitted_at: string;
  started_at: string | null;
  heartbeat_at: string | null;
  finished_at: string | null;
  stop_reason: string | null;
  branch_sha: string | null;
  cancel_requested: boolean;
  /** The last checkpoint pushed (what a takeover resumes from). */
  checkpoint_sha: string | null;
}

export interface QueueStatus {
  queue: string;
  backend: string;
  counts: Record<RegistryStatus, number>;
  jobs: JobCounts;
  fenced_writes: number;
  runs: QueueRunView[];
}

export function viewOf(r: RegistryRow): QueueRunView {
  return {
    run_id: r.run_id,
    status: r.status,
    attempt: r.attempt,
    worker: r.worker,
    submitted_at: r.submitted_at,
    started_at: r.started_at,
    heartbeat_at: r.heartbeat_at,
    finished_at: r.finished_at,
    stop_reason: r.outcome?.stop_reason ?? null,
    branch_sha: r.outcome?.branch_sha ?? null,
    cancel_requested: r.cancel_requested,
    checkpoint_sha: r.checkpoint?.branch_sha ?? null,
  };
}

export async function queueStatus(backend: QueueBackend): Promise<QueueStatus> {
  const rows = await backend.registry.list();
  const counts = Object.fromEntries(REGISTRY_STATUSES.map((s) => [s, 0])) as Record<RegistryStatus, number>;
  for (const r of rows) counts[r.status] += 1;
  return {
    queue: backend.target.queue,
    backend: backend.target.backend,
    counts,
    jobs: await backend.counts(),
    fenced_writes: (await backend.registry.fencedWrites()).length,
    runs: rows.map(viewOf),
  };
}

/** Poll the registry until the run is terminal (or the signal/timeout ends the wait). */
export async function waitForRun(backend: QueueBackend, runId: string, o: { signal: AbortSignal; timeoutMs: number | null; pollMs: number; onChange?: (v: QueueRunView) => void }): Promise<RegistryRow | null> {
  const deadline = o.timeoutMs === null ? null : Date.now() + o.timeoutMs;
  let last = '';
  for (;;) {
    const row = await backend.registry.get(runId);
    if (row !== null && o.onChange) {
      const v = viewOf(row);
      const key = `${v.status}/${v.attempt}/${v.worker ?? ''}/${v.checkpoint_sha ?? ''}`;
      if (key !== last) o.onChange(v);
      last = key;
    }
    if (row === null || isTerminal(row.status)) return row;
    if (deadline !== null && Date.now() >= deadline) return row;
    if (o.signal.aborted) throw new InterruptedError('wait interrupted');
    await new Promise((r) => setTimeout(r, o.pollMs));
  }
}
