/** `runr find '<expr>'` and `runr manifest show|find|rebuild|remove` (seed 004). */
import type { Command } from 'commander';
import { Option } from 'commander';
import type { RegisterDeps } from '../command-group.js';
import { makeContext } from '../context.js';

const dirOption = () => new Option('--dir <dir>', 'runs directory (default: the project\'s, .runr/runs or config runs_dir)');
const runsDirAlias = () => new Option('--runs-dir <dir>', 'same as --dir').hideHelp();
const formatOption = () => new Option('--format <format>', 'output format').choices(['table', 'json', 'jsonl', 'csv', 'vertical']).default('table');

function addQueryOutputOptions(cmd: Command): Command {
  return cmd
    .option('--order-by <keys>', "order, e.g. 'metrics.loss desc, run_id' (default: run id)")
    .option('--limit <n>', 'at most n runs (after ordering)')
    .addOption(formatOption())
    .addOption(dirOption())
    .addOption(runsDirAlias())
    .option('--json', 'print one JSON object ({total_runs, count, runs, …}); overrides --format');
}

export function registerManifestCommands(program: Command, { signal }: RegisterDeps): void {
  addQueryOutputOptions(
    program
      .command('find')
      .description("query the run manifest: runr find \"status = 'PASSED' and params.seed in (1, 2)\"")
      .argument('<expr>', 'query (see docs/manifest.md for the grammar)'),
  ).action(async (expr: string, opts: Record<string, unknown>, cmd: Command) => {
    const { findCommand } = await import('./manifest/manifest-find.js');
    await findCommand(makeContext(cmd, signal), expr, opts);
  });

  const manifest = program.command('manifest').description('the git-tracked run index <runs_dir>/runs_manifest.json: show, find, rebuild, remove');

  manifest
    .command('show')
    .description('summary of the manifest (--json: the manifest itself)')
    .addOption(dirOption())
    .addOption(runsDirAlias())
    .option('--json', 'print the manifest')
    .action(async (opts: Record<string, unknown>, cmd: Command) => {
      const { showCommand } = await import('./manifest/manifest-show.js');
      await showCommand(makeContext(cmd, signal), opts);
    });

  addQueryOutputOptions(
    manifest
      .command('find')
      .description('find runs with the original filters (AND), optionally with a query')
      .argument('[expr]', 'optional query, ANDed with the filters')
      .option('--framework <name>', 'exact framework')
      .option('--verification-status <status>', 'exact verification status (pending, verified, warning, …)')
      .option('--min-tokens <n>', 'total_tokens_in + total_tokens_out at least n'),
  ).action(async (expr: string | undefined, opts: Record<string, unknown>, cmd: Command) => {
    const { findCommand } = await import('./manifest/manifest-find.js');
    await findCommand(makeContext(cmd, signal), expr ?? null, opts);
  });

  manifest
    .command('rebuild')
    .description('re-index every run directory and write runs_manifest.json in it')
    .addOption(dirOption())
    .addOption(runsDirAlias())
    .addOption(new Option('--layout <layout>', 'run layout to index').choices(['auto', 'runr', 'esy', 'devbench']).default('auto'))
    .option('--json', 'print JSON')
    .action(async (opts: Record<string, unknown>, cmd: Command) => {
      const { rebuildCommand } = await import('./manifest/manifest-rebuild.js');
      await rebuildCommand(makeContext(cmd, signal), opts);
    });

  manifest
    .command('remove')
    .description("remove a run's entry (the run directory is kept; rebuild would add it back)")
    .argument('<run>', 'run id or unique prefix')
    .addOption(dirOption())
    .addOption(runsDirAlias())
    .option('--json', 'print JSON')
    .action(async (run: string, opts: Record<string, unknown>, cmd: Command) => {
      const { removeCommand } = await import('./manifest/manifest-remove.js');
      await removeCommand(makeContext(cmd, signal), run, opts);
    });
}
