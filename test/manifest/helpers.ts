import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { storeFor } from '../../src/store/open-store.js';
import { openProject } from '../../src/store/project.js';
import type { RunCreateInput, RunStore } from '../../src/store/run-store.js';
import { repoRoot } from '../helpers/cli.js';
import type { Manifest, ManifestEntry } from '../../src/index.js';

export const manifestFixtures = path.join(repoRoot, 'test', 'fixtures', 'manifest');
export const esyRunsFixture = path.resolve(repoRoot, 'test/fixtures/esy-visual-essay/runs');

export function tmpDir(prefix = 'runr-manifest-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function copyDir(from: string, to: string): string {
  fs.cpSync(from, to, { recursive: true });
  return to;
}

/** A project in a temp dir (with .runr/ so it is found as the root) and a store with the manifest hook. */
export function tmpStore(): { root: string; runsDir: string; store: RunStore } {
  const root = tmpDir();
  fs.mkdirSync(path.join(root, '.runr'), { recursive: true });
  const store = storeFor(openProject(root), { fsync: false });
  return { root, runsDir: store.runsDir, store };
}

export function createInput(slug = 'demo', over: Partial<RunCreateInput> = {}): RunCreateInput {
  return {
    kind: 'workflow',
    workflow: { name: 'visual-essay', version: 'local-dev', slug, artifact_path: `essays/${slug}` },
    depth: 'standard',
    prompt: null,
    params: {},
    gates: [],
    ...over,
  } as RunCreateInput;
}

export function readManifestJson(runsDir: string): Manifest {
  return JSON.parse(fs.readFileSync(path.join(runsDir, 'runs_manifest.json'), 'utf8')) as Manifest;
}

/** `runr find --json` and `runr manifest find --json`. */
export interface FindJson {
  manifest: string;
  query: string | null;
  order_by: string | null;
  limit: number | null;
  total_runs: number;
  count: number;
  runs: ManifestEntry[];
}

/** `runr manifest rebuild --json`. */
export interface RebuildJson {
  file: string;
  total_runs: number;
  frameworks: Record<string, number>;
  layouts: string[];
  problems: Array<{ path: string; message: string }>;
}
