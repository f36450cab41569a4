/**
 * The project: repository root, runr's directories, and the config. Every path runr writes is
 * derived here, from the repository root; records store paths relative to that root.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RunrConfig } from '../core/config/config-schema.js';
import { readConfigFile } from '../config/read-config.js';
import { resolveRunsDir } from './runs-dir.js';

export interface Project {
  /** Absolute repository root. */
  root: string;
  /** Absolute paths. */
  runrDir: string;
  runsDir: string;
  contractsDir: string;
  workflowsDir: string;
  configFile: string;
  config: RunrConfig;
  /** Whether the config file exists. */
  hasConfig: boolean;
}

/** Walk up from `start` to the nearest directory holding `.runr/` or `.git`. */
export function findRepoRoot(start: string): string {
  let dir = path.resolve(start);
  for (;;) {
    if (fs.existsSync(path.join(dir, '.runr')) || fs.existsSync(path.join(dir, '.git'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(start);
    dir = parent;
  }
}

/** The Orchestration Runner kept runs in `orchestration/runs/`; which directory holds the runs when
 * nothing pins it is decided in runs-dir.ts (a directory that holds runr runs keeps them). */
export { LEGACY_RUNS_REL } from './runs-dir.js';

export interface OpenProjectOptions {
  /** Override of the runs directory (flag `--runs-dir`), relative to cwd or absolute. */
  runsDir?: string;
}

export function openProject(cwd: string, opts: OpenProjectOptions = {}): Project {
  const root = findRepoRoot(cwd);
  const { file: configFile, exists: hasConfig, config } = readConfigFile(root);
  const runrRel = config.root ?? '.runr';
  const runrDir = path.join(root, runrRel);
  const runsDir = opts.runsDir !== undefined ? path.resolve(cwd, opts.runsDir) : path.join(root, resolveRunsDir(root, config, hasConfig).rel);
  return {
    root,
    runrDir,
    runsDir,
    contractsDir: path.join(root, config.contracts_dir ?? path.join(runrRel, 'contracts')),
    workflowsDir: path.join(root, config.workflows_dir ?? path.join(runrRel, 'workflows')),
    configFile,
    config,
    hasConfig,
  };
}

/** Repository-relative, forward-slash path for records and messages. */
export function relToRoot(project: Pick<Project, 'root'>, abs: string): string {
  const rel = path.relative(project.root, abs);
  return (rel === '' ? '.' : rel).split(path.sep).join('/');
}
