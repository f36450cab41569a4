/** Shared bits of the RunOps tests: fixture locations and throwaway copies of runtime dirs. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The original harness's artifacts and outputs (test/fixtures/benchmark-harness, see its README). */
export const harness = path.resolve(repoRoot, 'test/fixtures/benchmark-harness');
export const richFixture = path.join(repoRoot, 'test/fixtures/ops/compaction-rich');
export const RUN_ID = 'autonomous_exec_v0_1_llm_phase4b';
export const QWEN = '20261121T193659_seed1337';
export const TINY = '20261121T193657_seed1337';

export function tempDir(prefix = 'runr-ops-'): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

/** A fresh copy of a runtime dir as `<tmp>/runtime`; returns the temp dir (the cwd to run in). */
export function copyRuntime(src: string): string {
  const dir = tempDir();
  fs.cpSync(src, path.join(dir, 'runtime'), { recursive: true });
  return dir;
}

export const variantRuntime = (v: string): string => path.join(harness, 'variants', v, 'runtime');
export const golden = (cmd: string, variant?: string): string =>
  variant === undefined ? path.join(harness, 'golden', cmd) : path.join(harness, 'variants', variant, 'golden', cmd);
export const readGolden = (cmd: string, file: string, variant?: string): string => fs.readFileSync(path.join(golden(cmd, variant), file), 'utf8');
