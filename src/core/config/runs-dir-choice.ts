/**
 * Which directory holds the runs when nothing pins it (issue 15, item 1). Pure: the caller looks at
 * the disk and passes the facts in. The rule never lets the directory change silently:
 * - `--runs-dir`, then the config's `runs_dir`, decide outright;
 * - a config without `runs_dir` means `<root>/runs` (as always);
 * - with no config, a directory that already holds runr runs keeps them: `<root>/runs` when it does,
 *   else the Orchestration Runner's `orchestration/runs/` when that exists (its history and new runs
 *   stay together), else `<root>/runs`.
 * When both directories exist and hold runs, the choice is reported (`warning`), so a user can pin
 * it with `runr init` or `--runs-dir`.
 */

/** What the caller saw in one candidate directory. */
export interface RunsDirFacts {
  /** Repository-relative, forward slashes. */
  rel: string;
  exists: boolean;
  /**
   * Run folders in it (any `run_*`-like entry that is a directory, dot-folders aside). Exact when
   * both candidates hold some (the warning names the counts); otherwise only zero or not is known.
   */
  entries: number;
  /** Whether at least one of them has a journal runr wrote (`record/events.jsonl`). */
  holdsRunrRuns: boolean;
}

export type RunsDirSource = 'flag' | 'config' | 'config_default' | 'holds_runr_runs' | 'legacy_layout' | 'default';

export interface RunsDirChoice {
  rel: string;
  source: RunsDirSource;
  /** Both candidates hold runs and nothing pins the choice: say which one is used and why. */
  warning: string | null;
}

export interface RunsDirInput {
  /** `--runs-dir`, as given. */
  flag?: string;
  /** The config's `runs_dir`, when set. */
  configured?: string;
  hasConfig: boolean;
  /** `<root>/runs` (runr's own layout). */
  runr: RunsDirFacts;
  /** `orchestration/runs` (the Orchestration Runner's layout). */
  legacy: RunsDirFacts;
}

function describe(f: RunsDirFacts): string {
  const n = `${f.entries} run folder${f.entries === 1 ? '' : 's'}`;
  return `${f.rel}/ (${n}${f.holdsRunrRuns ? ', runr runs' : ', none written by runr'})`;
}

export function chooseRunsDir(input: RunsDirInput): RunsDirChoice {
  if (input.flag !== undefined) return { rel: input.flag, source: 'flag', warning: null };
  if (input.configured !== undefined) return { rel: input.configured, source: 'config', warning: null };
  if (input.hasConfig) return { rel: input.runr.rel, source: 'config_default', warning: null };
  const { runr, legacy } = input;
  let choice: Omit<RunsDirChoice, 'warning'>;
  if (runr.holdsRunrRuns) choice = { rel: runr.rel, source: 'holds_runr_runs' };
  else if (legacy.exists) choice = { rel: legacy.rel, source: legacy.holdsRunrRuns ? 'holds_runr_runs' : 'legacy_layout' };
  else choice = { rel: runr.rel, source: 'default' };
  const both = runr.entries > 0 && legacy.exists && legacy.entries > 0;
  if (!both) return { ...choice, warning: null };
  const why = choice.source === 'holds_runr_runs' ? 'it holds runr runs' : 'the other holds no runr runs';
  const other = choice.rel === runr.rel ? legacy : runr;
  const used = choice.rel === runr.rel ? runr : legacy;
  return {
    ...choice,
    warning: `two runs directories: ${describe(used)} and ${describe(other)}; using ${used.rel}/ (${why}). Pin it: \`runr init\` writes runs_dir into the config, or pass --runs-dir`,
  };
}
