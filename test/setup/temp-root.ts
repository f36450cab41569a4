/**
 * One temporary root per test run. Every test (and every CLI process it spawns) inherits TMPDIR
 * pointing here, so `os.tmpdir()`, `mktemp` and git's temp files all land inside it; teardown removes
 * it whole. A test that forgets its own cleanup therefore leaves nothing behind in the system temp
 * directory, and a test that does clean up is unaffected.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(path.join(os.tmpdir(), 'runr-tests-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  };
}
