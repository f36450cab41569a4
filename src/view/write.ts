/** Write a runr page to a file (atomically: a reader never sees half a page). */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from '../store/atomic.js';
import type { CollectOptions } from './collect.js';
import { collectView } from './collect.js';
import { renderPage } from './page.js';

export interface WriteViewOptions extends Omit<CollectOptions, 'outDir'> {
  /** Absolute, or relative to cwd; default `<runr dir>/view.html`. */
  out?: string;
}

export interface WriteViewResult {
  /** Absolute. */
  file: string;
  bytes: number;
  runs: number;
  total_runs: number;
  details: number;
  problems: Array<{ run_id: string; message: string }>;
}

export const DEFAULT_VIEW_FILE = 'view.html';

export async function writeView(opts: WriteViewOptions): Promise<WriteViewResult> {
  const { openProject } = await import('../store/project.js');
  const project = openProject(opts.cwd, opts.runsDir !== undefined ? { runsDir: opts.runsDir } : {});
  const file = opts.out !== undefined ? path.resolve(opts.cwd, opts.out) : path.join(project.runrDir, DEFAULT_VIEW_FILE);
  const { data } = await collectView({ ...opts, outDir: path.dirname(file) });
  const html = renderPage(data);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomicSync(file, html, { fsync: false });
  return { file, bytes: Buffer.byteLength(html), runs: data.runs.length, total_runs: data.total_runs, details: Object.keys(data.details).length, problems: data.problems };
}
