/**
 * Scan a runs directory in one or all layouts. `auto` looks at each top-level directory once:
 * one holding `record/` is a run (runr or Orchestration Runner), any other may be a dev-benchmark
 * framework directory. When two layouts yield the same run id, the record wins and the other is
 * reported.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../core/errors.js';
import type { ManifestEntry } from '../../core/manifest/entry.js';
import { devbenchRunDirs, scanDevbenchRuns } from './devbench.js';
import type { Layout, LayoutChoice, ScanProblem } from './layouts.js';
import { scanRecordRuns } from './records.js';

export interface LayoutScan {
  entries: ManifestEntry[];
  problems: ScanProblem[];
  /** Layouts in which at least one run was found. */
  layouts: Layout[];
}

function listDirs(dir: string): string[] {
  let items: fs.Dirent[];
  try {
    items = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`--dir: ${dir}: no such directory`);
    if (code === 'ENOTDIR') throw new UserError(`--dir: ${dir}: not a directory`);
    throw err;
  }
  return items.filter((d) => d.isDirectory() && !d.name.startsWith('.')).map((d) => d.name).sort();
}

export function scanLayouts(dir: string, choice: LayoutChoice, progress?: (done: number, total: number) => void): LayoutScan {
  const names = listDirs(dir);
  const entries: ManifestEntry[] = [];
  const problems: ScanProblem[] = [];
  const layouts: Layout[] = [];
  const byId = new Map<string, string>();
  const add = (found: ManifestEntry[]) => {
    for (const e of found) {
      const prev = byId.get(e.run_id);
      if (prev !== undefined) {
        problems.push({ path: path.join(dir, e.path), message: `run ${e.run_id} is also at ${prev}; kept that one` });
        continue;
      }
      byId.set(e.run_id, path.join(dir, e.path));
      entries.push(e);
    }
  };
  const r = choice === 'devbench' ? null : scanRecordRuns(dir, choice === 'esy' ? names.filter((n) => n.startsWith('run_')) : names, progress);
  const recordNames = r?.names ?? [];
  if (r !== null && recordNames.length > 0) {
    add(r.entries);
    problems.push(...r.problems);
    if (choice !== 'auto') layouts.push(choice);
    else {
      if (r.journaled > 0) layouts.push('runr');
      if (r.legacy > 0) layouts.push('esy');
    }
  }
  const recordSet = new Set(recordNames);
  if (choice !== 'devbench') {
    // A run directory without its record: a run killed while it was being created.
    for (const n of names) if (n.startsWith('run_') && !recordSet.has(n)) problems.push({ path: path.join(dir, n), message: 'no record/ directory (the run was never written)' });
  }
  if (choice === 'auto' || choice === 'devbench') {
    const runs = devbenchRunDirs(dir, names.filter((n) => !recordSet.has(n)));
    if (runs.length > 0) {
      const d = scanDevbenchRuns(dir, runs);
      add(d.entries);
      problems.push(...d.problems);
      layouts.push('devbench');
    }
  }
  return { entries, problems, layouts };
}
