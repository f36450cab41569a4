/** The harness's directory layout under a runtime dir (FORMATS.md §000). */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../core/errors.js';

export interface RuntimeLayout {
  /** Absolute runtime dir. */
  root: string;
  /** The runtime dir as the user gave it; paths are printed under it, as the harness prints them. */
  shown: string;
  autonomousDir: string;
  logsDir: string;
  reportsDir: string;
}

export function runtimeLayout(cwd: string, runtimeDir: string): RuntimeLayout {
  const root = path.resolve(cwd, runtimeDir);
  return {
    root,
    shown: runtimeDir,
    autonomousDir: path.join(root, 'benchmarks', 'autonomous'),
    logsDir: path.join(root, 'benchmarks', 'execution_logs'),
    reportsDir: path.join(root, 'benchmarks', 'reports'),
  };
}

/** An absolute path under the runtime dir, shown the way Python prints `Path(runtime_dir) / ...`. */
export function shownPath(layout: RuntimeLayout, abs: string): string {
  const rel = path.relative(layout.root, abs);
  return path.join(layout.shown, rel).split(path.sep).join('/');
}

/** The harness returned nothing for a missing runtime dir; runr says so (exit 2). */
export function requireRuntimeDir(layout: RuntimeLayout): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(layout.root);
  } catch {
    throw new UserError(`--runtime-dir: ${layout.shown}: directory not found`);
  }
  if (!st.isDirectory()) throw new UserError(`--runtime-dir: ${layout.shown}: not a directory`);
}
