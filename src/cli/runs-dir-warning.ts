/**
 * One `warning:` line on stderr when two runs directories hold runs and nothing pins the choice
 * (issue 15, item 1): which one is used and how to pin it. `init` pins it and `doctor` reports it
 * as a check, so neither prints the line.
 */
import type { Command } from 'commander';
import fs from 'node:fs';
import path from 'node:path';

const QUIET = new Set(['init', 'doctor']);

export async function warnAboutRunsDir(program: Command, action: Command): Promise<void> {
  if (QUIET.has(action.name())) return;
  const globals = program.opts<{ cwd?: string; runsDir?: string }>();
  if (globals.runsDir !== undefined || action.getOptionValue('runsDir') !== undefined) return;
  const cwd = path.resolve(globals.cwd ?? process.cwd());
  const { findRepoRoot } = await import('../store/project.js');
  const root = findRepoRoot(cwd);
  const { CONFIG_REL } = await import('../config/read-config.js');
  if (fs.existsSync(path.join(root, CONFIG_REL))) return;
  const { resolveRunsDir } = await import('../store/runs-dir.js');
  const choice = resolveRunsDir(root, {}, false);
  if (choice.warning !== null) process.stderr.write(`warning: ${choice.warning}\n`);
}
