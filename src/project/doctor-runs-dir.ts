/** `runr doctor`: which runs directory is in use and why; a warning when two hold runs and nothing pins it. */
import type { Project } from '../store/project.js';
import { relToRoot } from '../store/project.js';
import { resolveRunsDir } from '../store/runs-dir.js';
import type { CheckResult } from './doctor-types.js';

const WHY = {
  flag: '--runs-dir',
  config: 'runs_dir in the config',
  config_default: 'the config sets no runs_dir: the default',
  holds_runr_runs: 'no config; it holds runr runs',
  legacy_layout: 'no config; the Orchestration Runner layout',
  default: 'no config: the default',
} as const;

export function checkRunsDir(project: Project, flagGiven: boolean): CheckResult {
  const shown = relToRoot(project, project.runsDir);
  if (flagGiven) return { name: 'runs directory', status: 'ok', detail: `${shown} (${WHY.flag})` };
  const choice = resolveRunsDir(project.root, project.config, project.hasConfig);
  if (choice.warning !== null) return { name: 'runs directory', status: 'warn', detail: choice.warning, hint: 'runr init' };
  return { name: 'runs directory', status: 'ok', detail: `${shown} (${WHY[choice.source]})` };
}
