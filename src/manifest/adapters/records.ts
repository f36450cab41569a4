/**
 * Index runs stored as `<dir>/<run_id>/record/RUN.json` (runr and the Orchestration Runner). A
 * snapshot in step with its journal is read by the fast path (record-entry.ts: strict read, the
 * entry's fields checked by hand); any other run is read with the run store's loader, so a snapshot
 * that lags its journal is rebuilt from the journal exactly as `runr run show` would see it. A run
 * that does not load is reported and skipped.
 */
import fs from 'node:fs';
import path from 'node:path';
import { InternalError, ValidationError } from '../../core/errors.js';
import type { ManifestEntry } from '../../core/manifest/entry.js';
import { entryFromRecord } from '../../core/manifest/entry.js';
import type { Project } from '../../store/project.js';
import { RunStore } from '../../store/run-store.js';
import type { ScanProblem } from './layouts.js';
import { fastEntry } from './record-entry.js';

export interface RecordScan {
  entries: ManifestEntry[];
  problems: ScanProblem[];
  /** How many of the runs had a journal (written by runr) and how many only a RUN.json. */
  journaled: number;
  legacy: number;
  /** The entries of `names` that hold a `record/` directory, in order. */
  names: string[];
}

/**
 * A run store reading `dir` (no config: rebuild must work on any copy of a runs directory). Its
 * root is `dir` itself, so the paths in its errors are relative to the runs directory.
 */
export function storeForDir(dir: string): RunStore {
  const project: Project = { root: dir, runrDir: dir, runsDir: dir, contractsDir: dir, workflowsDir: dir, configFile: path.join(dir, '.runr', 'runr.config.json'), config: {}, hasConfig: false };
  return new RunStore(project, { warn: () => undefined });
}

/** Whether `dir/name` holds a `record/` directory (a run of the record layouts). */
function hasRecordDir(dir: string, name: string): boolean {
  try {
    return fs.statSync(path.join(dir, name, 'record')).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The runs among `names` (directory entries): those holding `record/`, listed in `names` of the
 * result. A run the fast path reads is one without asking (no stat of `record/`); only the others
 * are looked at. `progress(done, total)` after each entry (a progress line on a terminal).
 */
export function scanRecordRuns(dir: string, names: readonly string[], progress?: (done: number, total: number) => void): RecordScan {
  const store = storeForDir(dir);
  const out: RecordScan = { entries: [], problems: [], journaled: 0, legacy: 0, names: [] };
  let done = 0;
  for (const name of names) {
    progress?.(done++, names.length);
    const fast = fastEntry(dir, name);
    if (fast === null && !hasRecordDir(dir, name)) continue;
    out.names.push(name);
    if (fast !== null) {
      if (fast.legacy) out.legacy++;
      else out.journaled++;
      out.entries.push(fast.entry);
      continue;
    }
    const recordDir = path.join(dir, name, 'record');
    try {
      const loaded = store.load(name);
      if (loaded.legacy) out.legacy++;
      else out.journaled++;
      if (loaded.run.run_id !== name) {
        out.problems.push({ path: path.join(recordDir, 'RUN.json'), message: `run_id ${JSON.stringify(loaded.run.run_id)} does not match its directory ${name}; indexed under the directory name` });
      }
      out.entries.push(entryFromRecord({ ...loaded.run, run_id: name }, name));
    } catch (err) {
      if (err instanceof InternalError || !(err instanceof Error)) throw err;
      if (err instanceof ValidationError) out.problems.push({ path: path.join(dir, err.file), message: `${err.field === '' ? '(root)' : err.field}: ${err.problem}` });
      else out.problems.push({ path: recordDir, message: err.message });
    }
  }
  return out;
}
