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

/**
 * What one candidate directory holds. Every command without a config asks this of both candidates,
 * so it reads the directory entry by entry and stops at the first run folder with runr's journal:
 * a store of 100,000 runs costs a few entries, not a listing of all of them. `count` reads on to
 * the end for the exact number of run folders (the warning names it); without it `entries` is only
 * known to be more than zero when it is.
 */
export function runsDirFacts(root: string, rel: string, count = false): RunsDirFacts {
  const abs = path.join(root, rel);
  const shown = rel.split(path.sep).join('/');
  let dir: fs.Dir;
  try {
    dir = fs.opendirSync(abs);
  } catch {
    return { rel: shown, exists: false, entries: 0, holdsRunrRuns: false };
  }
  let entries = 0;
  let holdsRunrRuns = false;
  try {
    for (let d = dir.readSync(); d !== null; d = dir.readSync()) {
      if (!d.isDirectory() || d.name.startsWith('.')) continue;
      entries++;
      if (!holdsRunrRuns) holdsRunrRuns = fs.existsSync(path.join(abs, d.name, 'record', 'events.jsonl'));
      if (holdsRunrRuns && !count) break;
    }
  } catch {
    // A directory that cannot be read on: what was seen so far, as a listing that failed midway.
  } finally {
    dir.closeSync();
  }
  return { rel: shown, exists: true, entries, holdsRunrRuns };
}

/** The runs directory for a repository root and its config (no `--runs-dir`), and why. Only an
 * unpinned choice (no config) looks at the disk. */
export function resolveRunsDir(root: string, config: RunrConfig, hasConfig: boolean): RunsDirChoice {
  const runrRel = path.join(config.root ?? '.runr', 'runs');
  const unseen = (rel: string): RunsDirFacts => ({ rel: rel.split(path.sep).join('/'), exists: false, entries: 0, holdsRunrRuns: false });
  if (config.runs_dir !== undefined || hasConfig) return chooseRunsDir({ ...(config.runs_dir !== undefined ? { configured: config.runs_dir } : {}), hasConfig, runr: unseen(runrRel), legacy: unseen(LEGACY_RUNS_REL) });
  const legacy = runsDirFacts(root, LEGACY_RUNS_REL);
  if (legacy.entries === 0) return chooseRunsDir({ hasConfig, runr: runsDirFacts(root, runrRel), legacy });
  // Both directories may be in use: then the warning gives each one's exact count.
  const runr = runsDirFacts(root, runrRel, true);
  return chooseRunsDir({ hasConfig, runr, legacy: runr.entries > 0 ? runsDirFacts(root, LEGACY_RUNS_REL, true) : legacy });
}
