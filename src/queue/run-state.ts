/**
 * Copy a run's record out of a worker's clone (for the registry's checkpoint) and back into another
 * clone (to resume there). Only what `resume` needs: the record (RUN.json first, then the journal cut
 * to whole lines, so the copy is never ahead of itself) and the task's copy; no locks, no pid files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../core/errors.js';
import type { RunCheckpoint } from '../core/queue/checkpoint.js';
import { safeSnapshotPath, wholeLines } from '../core/queue/checkpoint.js';

const ORDER = ['record/RUN.json', 'record/events.jsonl'];

function listFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  let names: fs.Dirent[];
  try {
    names = fs.readdirSync(path.join(dir, rel), { withFileTypes: true });
  } catch {
    return out;
  }
  for (const d of names) {
    const r = rel === '' ? d.name : `${rel}/${d.name}`;
    if (d.isDirectory()) out.push(...listFiles(dir, r));
    else if (d.isFile()) out.push(r);
  }
  return out;
}

/** The files of `<runDir>` a resume needs, base64, RUN.json read before the journal. */
export function snapshotRunDir(runDir: string): Record<string, string> {
  const rels = [...ORDER, ...listFiles(runDir, 'record').filter((r) => !ORDER.includes(r)).sort(), 'logs/task.md'];
  const files: Record<string, string> = {};
  for (const rel of rels) {
    let data: Buffer;
    try {
      data = fs.readFileSync(path.join(runDir, rel));
    } catch {
      continue; // not written yet
    }
    files[rel] = Buffer.from(rel.endsWith('.jsonl') ? wholeLines(data) : data).toString('base64');
  }
  return files;
}

/** Write a checkpoint's files into `<root>/<runs dir>/<run_id>/`; returns that directory. */
export function restoreRunDir(root: string, runId: string, cp: RunCheckpoint): string {
  if (!safeSnapshotPath(cp.runs_dir)) throw new UserError(`checkpoint of ${runId}: bad runs directory ${JSON.stringify(cp.runs_dir)}`);
  const runDir = path.join(root, cp.runs_dir, runId);
  fs.rmSync(runDir, { recursive: true, force: true });
  for (const [rel, b64] of Object.entries(cp.files)) {
    if (!safeSnapshotPath(rel)) throw new UserError(`checkpoint of ${runId}: bad path ${JSON.stringify(rel)}`);
    const abs = path.join(runDir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, Buffer.from(b64, 'base64'));
  }
  fs.mkdirSync(path.join(runDir, 'logs'), { recursive: true });
  return runDir;
}
