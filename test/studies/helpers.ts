/**
 * Helpers for the studies end-to-end tests: a temp git repository with a study made by the real
 * CLI, base specs written by the stand-in extropy (examples/extropy, put first on PATH), and
 * runners for the built CLI with that PATH.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { RunrResult } from '../helpers/cli.js';
import { makeRepo, removeRepo, repoRoot, runr, runrBin } from '../helpers/cli.js';

export const STANDIN_BIN = path.join(repoRoot, 'examples', 'extropy', 'bin');
export const PATH_WITH_STANDIN = `${STANDIN_BIN}${path.delimiter}${process.env.PATH ?? ''}`;

export function st(args: readonly string[], cwd: string, env: Record<string, string> = {}, timeoutMs = 180_000): RunrResult {
  return runr(args, { cwd, env: { PATH: PATH_WITH_STANDIN, ...env }, timeoutMs });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test JSON is read loosely
export function stJson<T = any>(args: readonly string[], cwd: string, env: Record<string, string> = {}): RunrResult & { json: T } {
  const r = st([...args, '--json'], cwd, env);
  try {
    return { ...r, json: JSON.parse(r.stdout) as T };
  } catch {
    throw new Error(`runr ${args.join(' ')}: stdout is not JSON (exit ${r.status})\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  }
}

/** Start the CLI in the background (for kill -9 tests). */
export function stSpawn(args: readonly string[], cwd: string, env: Record<string, string> = {}) {
  return spawn(process.execPath, [runrBin, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', PATH: PATH_WITH_STANDIN, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function extropy(args: readonly string[], cwd: string): void {
  const r = spawnSync(path.join(STANDIN_BIN, 'extropy'), args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`extropy ${args.join(' ')}: ${r.stderr}`);
}

export const STUDY = 'austin-congestion-tax';

/** A repository with `runr study init` done and the base specs in place (pop v01, network cfg v01, scenario scn-v01). */
export function makeStudy(study = STUDY): string {
  const dir = makeRepo({ fixtures: false });
  const r = st(['study', 'init', study], dir);
  if (r.status !== 0) throw new Error(r.stderr);
  extropy(['spec', 'Austin commuters', '-o', `runs/${study}/specs/pop/${study}.pop-v01.yaml`], dir);
  fs.writeFileSync(path.join(dir, `runs/${study}/specs/network-config/${study}.network-cfg-v01.yaml`), 'avg_degree: 8\n');
  fs.writeFileSync(path.join(dir, `runs/${study}/specs/scenario/${study}.scn-v01.scenario.yaml`), 'name: congestion-tax\ndescription: a downtown congestion charge\nexposure_rate: 0.3\ntimesteps: 8\n');
  // Small populations keep the tests fast.
  const pipe = path.join(dir, `runs/${study}/pipeline.yaml`);
  fs.writeFileSync(pipe, fs.readFileSync(pipe, 'utf8').replace('agents: 200', 'agents: 60'));
  return dir;
}

export function newBatch(dir: string, extra: string[], intent = 'baseline', rev: { scn?: string; cfg?: string } = {}): string {
  const r = stJson<{ batch_id: string }>(['batch', 'new', STUDY, '--intent', intent, '--scenario-rev', rev.scn ?? 'scn-v01', '--config-rev', rev.cfg ?? 'cfg-v01', '--objective', `test ${intent}`, ...extra], dir);
  if (r.status !== 0) throw new Error(r.stderr);
  return r.json.batch_id;
}

export const studyPath = (dir: string, ...rel: string[]) => path.join(dir, 'runs', STUDY, ...rel);
export const variantPath = (dir: string, batch: string, variant: string, ...rel: string[]) => studyPath(dir, 'batches', batch, 'variants', variant, ...rel);
export const registryText = (dir: string) => fs.readFileSync(studyPath(dir, 'registry', 'runs.csv'), 'utf8');
export const registryRows = (dir: string) => registryText(dir).trim().split('\n').slice(1);

/** Every file under a directory with its size and mtime (to prove nothing was written). */
export function snapshotTree(dir: string): string {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of fs.readdirSync(d).sort()) {
      if (n === '.git') continue;
      const a = path.join(d, n);
      const s = fs.statSync(a);
      if (s.isDirectory()) walk(a);
      else out.push(`${path.relative(dir, a)} ${s.size} ${s.mtimeMs}`);
    }
  };
  walk(dir);
  return out.join('\n');
}

export { removeRepo };
