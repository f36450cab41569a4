/**
 * runr never writes through a symlink in a run record (issue 9): a run directory, its `record/`,
 * `logs/` or `record/gates/<G>/` directory, or a journal, snapshot or attempt file that is a
 * symlink (to a directory outside the repository, say) is refused before anything is written.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ValidationError } from '../core/errors.js';

function isLink(abs: string): boolean {
  try {
    return fs.lstatSync(abs).isSymbolicLink();
  } catch {
    return false;
  }
}

/** The first symlink among a run directory's record paths, or null. */
export function firstRecordSymlink(runDir: string): string | null {
  const record = path.join(runDir, 'record');
  const fixed = [runDir, record, path.join(runDir, 'logs'), path.join(record, 'events.jsonl'), path.join(record, 'RUN.json'), path.join(record, 'gates')];
  for (const p of fixed) if (isLink(p)) return p;
  let gates: string[] = [];
  try {
    gates = fs.readdirSync(path.join(record, 'gates'));
  } catch {
    return null;
  }
  for (const g of gates) {
    const gd = path.join(record, 'gates', g);
    if (isLink(gd)) return gd;
    let files: string[] = [];
    try {
      files = fs.readdirSync(gd);
    } catch {
      continue;
    }
    for (const f of files) if (isLink(path.join(gd, f))) return path.join(gd, f);
  }
  return null;
}

export function refuseRecordSymlinks(runDir: string, display: (abs: string) => string): void {
  const link = firstRecordSymlink(runDir);
  if (link !== null) throw new ValidationError(display(link), '(file)', 'is a symlink; runr does not write through symlinks in a run record (replace it with the directory or file itself)');
}
