/**
 * When the manifest is written for a changing run. A process that opts in (the CLI does, for each
 * command line) writes a run's entry only when the run starts (its status becomes RUNNING, or
 * another status than QUEUED), when it ends (or changes after it ended), and once more for whatever
 * is left when the command finishes (`flushManifestUpdates`). Phase changes, gate events and
 * invocations inside a run only mark it pending, so a task run touches the manifest twice — when
 * it starts and when it ends — and a manual `gate finish` at most once. Without opting in (library
 * callers) every change is written at once, as before.
 *
 * A run that was just created QUEUED is pending too: its first write is its start, or the end of
 * the command that created it (`run start`). Between the two (milliseconds) a `kill -9` leaves the run
 * out of the index until `runr manifest rebuild`; commands still find it (by exact id, or by
 * listing the runs directory when the index has no match).
 */
import type { RunRecord } from '../core/schemas/run.js';
import type { RunStore } from '../store/run-store.js';

export interface WriteOptions {
  fsync: boolean;
  warn?: (message: string) => void;
}

interface Pending {
  store: RunStore;
  run: RunRecord;
  opts: WriteOptions;
}

let deferring = false;
/** runs dir → run id → the latest record this process wrote. */
const pending = new Map<string, Map<string, Pending>>();

export function deferManifestUpdates(on: boolean): void {
  deferring = on;
}

/** A change the manifest must see now: the run started or ended, or changed after it ended. */
export function mustWriteNow(run: RunRecord, previous: RunRecord | null): boolean {
  // Created: written now only if it started in the same write (a task run does).
  if (previous === null) return run.status !== 'QUEUED';
  if (run.status !== previous.status) return run.status !== 'QUEUED';
  return run.status !== 'RUNNING' && run.status !== 'QUEUED';
}

async function write(runsDir: string): Promise<void> {
  const byId = pending.get(runsDir);
  if (byId === undefined || byId.size === 0) return;
  pending.delete(runsDir);
  const items = [...byId.values()];
  const first = items[0] as Pending;
  const { updateManifestForRuns } = await import('./for-run.js');
  await updateManifestForRuns(
    items.map((p) => p.run),
    first.store,
    { fsync: items.some((p) => p.opts.fsync), ...(first.opts.warn ? { warn: first.opts.warn } : {}) },
  );
}

/** The store's hook: write the run's entry now, or keep it for later (see above). */
export async function noteRunChanged(run: RunRecord, previous: RunRecord | null, store: RunStore, opts: WriteOptions): Promise<void> {
  let byId = pending.get(store.runsDir);
  if (byId === undefined) {
    byId = new Map<string, Pending>();
    pending.set(store.runsDir, byId);
  }
  byId.set(run.run_id, { store, run, opts });
  if (!deferring || mustWriteNow(run, previous)) await write(store.runsDir);
}

/** Write every pending entry (the CLI calls this when a command finishes, whatever its outcome). */
export async function flushManifestUpdates(): Promise<void> {
  for (const runsDir of [...pending.keys()]) await write(runsDir);
}
