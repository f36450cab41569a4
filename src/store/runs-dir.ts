/**
 * Looks at the two candidate runs directories (`<root>/runs` and `orchestration/runs`) and lets
 * core/config/runs-dir-choice.ts decide which one holds the runs (issue 15, item 1).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RunrConfig } from '../core/config/config-schema.js';
import type { RunsDirChoice, RunsDirFacts } from '../core/config/runs-dir-choice.js';
import { chooseRunsDir } from '../core/config/runs-dir-choice.js';

/** The Orchestration Runner kept runs in `orchestration/runs/`. */
export const LEGACY_RUNS_REL = 'orchestration/runs';

/** Run folders and whether one of them has runr's journal; stops looking once it has found one. */
export function runsDirFacts(root: string, rel: string): RunsDirFacts {
  const abs = path.join(root, rel);
  const shown = rel.split(path.sep).join('/');
  let names: fs.Dirent[];
  try {
    names = fs.readdirSync(abs, { withFileTypes: true });
  } catch {
    return { rel: shown, exists: false, entries: 0, holdsRunrRuns: false };
  }
  const runs = names.filter((d) => d.isDirectory() && !d.name.startsWith('.'));
  const holdsRunrRuns = runs.some((d) => fs.existsSync(path.join(abs, d.name, 'record', 'events.jsonl')));
  return { rel: shown, exists: true, entries: runs.length, holdsRunrRuns };
}

/** The runs directory for a repository root and its config (no `--runs-dir`), and why. Only an
 * unpinned choice (no config) looks at the disk. */
export function resolveRunsDir(root: string, config: RunrConfig, hasConfig: boolean): RunsDirChoice {
  const runrRel = path.join(config.root ?? '.runr', 'runs');
  const unseen = (rel: string): RunsDirFacts => ({ rel: rel.split(path.sep).join('/'), exists: false, entries: 0, holdsRunrRuns: false });
  if (config.runs_dir !== undefined || hasConfig) return chooseRunsDir({ ...(config.runs_dir !== undefined ? { configured: config.runs_dir } : {}), hasConfig, runr: unseen(runrRel), legacy: unseen(LEGACY_RUNS_REL) });
  return chooseRunsDir({ hasConfig, runr: runsDirFacts(root, runrRel), legacy: runsDirFacts(root, LEGACY_RUNS_REL) });
}
