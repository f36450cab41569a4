/**
 * One temporary root per test run. Every test (and every CLI process it spawns) inherits TMPDIR
 * pointing here, so `os.tmpdir()`, `mktemp` and git's temp files all land inside it; teardown removes
 * it whole. A test that forgets its own cleanup therefore leaves nothing behind in the system temp
 * directory, and a test that does clean up is unaffected. The launcher's V8 code cache
 * (RUNR_CACHE_DIR) goes there too: a test run never writes into the user's ~/.cache.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(path.join(os.tmpdir(), 'runr-tests-'));
  const previous = process.env.TMPDIR;
  const previousCache = process.env.RUNR_CACHE_DIR;
  process.env.TMPDIR = root;
  process.env.RUNR_CACHE_DIR = path.join(root, 'runr-code-cache');
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    if (previousCache === undefined) delete process.env.RUNR_CACHE_DIR;
    else process.env.RUNR_CACHE_DIR = previousCache;
    rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  };
}
