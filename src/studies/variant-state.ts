/** Where a variant's run is recorded: `variants/<id>/.runr-run` names its run in the store. */
import fs from 'node:fs';
import path from 'node:path';
import { validateRunIdArg } from '../core/ids.js';
import type { PipelineSection } from '../core/studies/run-section.js';
import { readPipelineSection } from '../core/studies/run-section.js';
import { fdatasyncFile, writeFileAtomicSync } from '../store/atomic.js';
import { inspectLock, pidAlive } from '../store/lock.js';
import type { JournalStat } from './state-memo.js';
import { statJournal } from './state-memo.js';
import type { RunStore } from '../store/run-store.js';

export const POINTER = '.runr-run';
export const VARIANT_LOCK = '.runr.lock';
/** In the run's logs: the pid of the stage process running now (stage-exec.ts writes it). */
export const PID_FILE = 'stage.pid.json';

export interface VariantState {
  runId: string | null;
  section: PipelineSection | null;
}

export function readVariantState(store: RunStore, variantAbs: string): VariantState {
  return readStampedState(store, variantAbs).state;
}

/** A state read with the stat of its journal taken just before, so a later reader can tell it is still current. */
export interface StampedState {
  state: VariantState;
  /** The journal's stat (hash-paths.ts stampOf) and when it was taken; null without one. */
  journal: JournalStat | null;
}

export function journalOf(store: RunStore, runId: string): string {
  return path.join(store.recordDir(runId), 'events.jsonl');
}

export function readStampedState(store: RunStore, variantAbs: string): StampedState {
  const runId = readPointer(variantAbs);
  // A run directory without a record: a batch run killed after writing the pointer (run-store
  // create's beforeWrite) and before the run's first journal write. The variant has no run yet.
  if (runId === null || !hasRecord(store, runId)) return { state: { runId: null, section: null }, journal: null };
  const journal = statJournal(journalOf(store, runId));
  return { state: { runId, section: readPipelineSection(store.load(runId).run) }, journal };
}

/**
 * `prev` again if nothing changed since it was read (same pointer, journal with the same stat:
 * it is append-only), else a fresh read. Saves reloading a record under the variant's lock that
 * was just loaded to check the batch.
 */
export function rereadState(store: RunStore, variantAbs: string, prev: StampedState): VariantState {
  const runId = readPointer(variantAbs);
  if (runId === prev.state.runId && (runId === null || (prev.journal !== null && statJournal(journalOf(store, runId))?.stamp === prev.journal.stamp))) return prev.state;
  return readVariantState(store, variantAbs);
}

function hasRecord(store: RunStore, runId: string): boolean {
  const record = store.recordDir(runId);
  return fs.existsSync(path.join(record, 'events.jsonl')) || fs.existsSync(path.join(record, 'RUN.json'));
}

/** The run a variant's pointer names (null: none, or not a valid run id). */
export function readPointer(variantAbs: string): string | null {
  try {
    const runId = fs.readFileSync(path.join(variantAbs, POINTER), 'utf8').trim();
    validateRunIdArg(runId);
    return runId;
  } catch {
    return null;
  }
}

/**
 * Write the pointer (atomically: temp file and rename) and start its flush — file and directory —
 * on the thread pool, so it runs while the variant's first stage does. The returned promise is
 * awaited before the variant's end is recorded (variant-run.ts), so a finished variant's pointer is
 * on disk. Until then a power loss can lose only the pointer (the variant then starts in a new
 * run, its stages rerun); a killed runr loses nothing (the rename is done).
 */
export function writePointer(variantAbs: string, runId: string): Promise<void> {
  fs.mkdirSync(variantAbs, { recursive: true });
  const file = path.join(variantAbs, POINTER);
  writeFileAtomicSync(file, `${runId}\n`, { fsync: false });
  const flushed = Promise.all([fdatasyncFile(file), fsyncDirAsync(variantAbs)]).then(() => undefined);
  flushed.catch(() => undefined); // reported where it is awaited
  return flushed;
}

async function fsyncDirAsync(dir: string): Promise<void> {
  let h: fs.promises.FileHandle | undefined;
  try {
    h = await fs.promises.open(dir, 'r');
    await h.sync();
  } catch {
    // Some filesystems refuse fsync on directories; the rename is still atomic there.
  } finally {
    await h?.close();
  }
}

/** A stage process left running by a runr that was killed (its pid file names a live process on this host). */
export function orphanStage(store: RunStore, runId: string): { stage: string; pid: number } | null {
  try {
    const raw = JSON.parse(fs.readFileSync(path.join(store.logsDir(runId), PID_FILE), 'utf8')) as { stage?: unknown; pid?: unknown; host?: unknown };
    if (typeof raw.pid !== 'number' || typeof raw.stage !== 'string') return null;
    return pidAlive(raw.pid) ? { stage: raw.stage, pid: raw.pid } : null;
  } catch {
    return null;
  }
}

/** Whether a `batch run` holds the variant now. */
export function variantBusy(variantAbs: string): boolean {
  return inspectLock(path.join(variantAbs, VARIANT_LOCK)).kind === 'held';
}
