/**
 * Shared helpers for tests that drive the BUILT CLI (run `npm run build` first).
 *
 *   runr(args, {cwd, input?, env?})  → {status, stdout, stderr}   (spawnSync of `node bin/runr.js`)
 *   runrJson(args, opts)             → the parsed `--json` stdout plus the raw result
 *   makeRepo()                       → a temp git repository laid out like the Orchestration Runner's:
 *       orchestration/gates/contracts/G{1,2,3}.contract.json   (fixture contracts)
 *       orchestration/runner/workflows/visual-essay.json       (fixture workflow)
 *     so `runr run start --workflow visual-essay ...` works in it right away.
 *
 * Fixtures come from test/fixtures/esy-visual-essay (copied from the original tool's records; see test/fixtures/README.md).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const runrBin = path.join(repoRoot, 'bin', 'runr.js');
export const fixtureDir = path.resolve(repoRoot, 'test/fixtures/esy-visual-essay');

export interface RunrOptions {
  cwd: string;
  /** Written to the child's stdin (default: none, stdin closed). */
  input?: string;
  /** Added to (not replacing) the parent's environment. */
  env?: Record<string, string>;
  timeoutMs?: number;
}

export interface RunrResult {
  /** Exit code; null when killed by a signal (see `signal`). */
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run the built CLI synchronously. Colors are off (NO_COLOR) so output is stable. */
export function runr(args: readonly string[], opts: RunrOptions): RunrResult {
  const r = spawnSync(process.execPath, [runrBin, ...args], {
    cwd: opts.cwd,
    input: opts.input ?? '',
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 60_000,
  });
  if (r.error) throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** Run with `--json` appended and parse stdout; throws with the stderr when stdout is not JSON. */
export function runrJson<T = unknown>(args: readonly string[], opts: RunrOptions): RunrResult & { json: T } {
  const r = runr([...args, '--json'], opts);
  try {
    return { ...r, json: JSON.parse(r.stdout) as T };
  } catch {
    throw new Error(`runr ${args.join(' ')}: stdout is not JSON (exit ${r.status})\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  }
}

export interface MakeRepoOptions {
  /** `git init` the directory (default true). */
  git?: boolean;
  /** Copy the fixture contracts and workflow (default true). */
  fixtures?: boolean;
}

/** A fresh temp directory (a git repo with the fixture contracts + workflow unless told otherwise). */
export function makeRepo(opts: MakeRepoOptions = {}): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'runr-test-')));
  if (opts.git !== false) {
    const g = spawnSync('git', ['init', '-q', dir], { encoding: 'utf8' });
    if (g.status !== 0) throw new Error(`git init failed: ${g.stderr}`);
  }
  if (opts.fixtures !== false) {
    const contracts = path.join(dir, 'orchestration', 'gates', 'contracts');
    const workflows = path.join(dir, 'orchestration', 'runner', 'workflows');
    fs.mkdirSync(contracts, { recursive: true });
    fs.mkdirSync(workflows, { recursive: true });
    for (const f of fs.readdirSync(path.join(fixtureDir, 'contracts'))) {
      fs.copyFileSync(path.join(fixtureDir, 'contracts', f), path.join(contracts, f));
    }
    fs.copyFileSync(path.join(fixtureDir, 'workflows', 'visual-essay.json'), path.join(workflows, 'visual-essay.json'));
  }
  return dir;
}

/** Write a file (creating its directory) relative to `root`; objects are written as JSON. */
export function writeFile(root: string, rel: string, content: string | object): string {
  const abs = path.join(root, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
  return abs;
}

/** Remove a directory made by makeRepo (ignores errors: best-effort cleanup). */
export function removeRepo(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
