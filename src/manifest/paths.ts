/** Where the manifest and its helpers live inside a runs directory. */
import path from 'node:path';
import { compactTimestamp } from '../core/ids.js';
import { MANIFEST_FILE } from '../core/manifest/manifest.js';

export function manifestFile(runsDir: string): string {
  return path.join(runsDir, MANIFEST_FILE);
}

/**
 * The writers' lock. Its name starts like the atomic writer's temp files
 * (`.runs_manifest.json.<pid>.<hex>.tmp`), so one ignore rule, `.runs_manifest.json.*`, keeps both
 * out of git.
 */
export function manifestLockFile(runsDir: string): string {
  return path.join(runsDir, `.${MANIFEST_FILE}.lock`);
}

export function corruptAsideFile(runsDir: string, now: Date): string {
  return path.join(runsDir, `${MANIFEST_FILE}.corrupt-${compactTimestamp(now)}`);
}

/** A path for messages: relative to the working directory when inside it. */
export function displayPath(abs: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, abs);
  if (rel === '') return '.';
  return rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel.split(path.sep).join('/');
}
