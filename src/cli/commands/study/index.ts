/** `runr study init` and `runr batch new|run|report|promote` (seed 003). Reference: docs/studies.md. */
import type { Command } from 'commander';
import type { RegisterDeps } from '../../command-group.js';
import { makeContext } from '../../context.js';
import { runsDirOption } from '../common-options.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];

function common(cmd: Command): Command {
  return cmd
    .option('--studies-dir <dir>', 'where studies live, relative to the repository root (default: config studies_dir, else "runs")')
    .addOption(runsDirOption())
    .option('--json', 'print JSON');
}

export function registerStudyCommands(program: Command, { signal }: RegisterDeps): void {
  const study = program.command('study').description('experiment studies: the runs/<study>/ tree, registry, specs and pipeline');
  common(
    study
      .command('init')
      .description('create runs/<study>/ (registry/runs.csv with its header, specs/, batches/) and a starter pipeline.yaml')
      .argument('<study>', 'study slug, lowercase kebab-case')
      .option('--no-pipeline', 'do not write the starter pipeline.yaml'),
  ).action(async (name: string, opts: Record<string, unknown>, cmd: Command) => {
    const { studyInitCommand } = await import('./init.js');
    await studyInitCommand(makeContext(cmd, signal), name, opts);
  });

  const batch = program.command('batch').description('batches of variants: new (sweep → manifest.yaml), run (stage pipeline), report, promote');
  common(
    batch
      .command('new')
      .description('write batches/<batch_id>/manifest.yaml: the baseline plus a one-axis sweep (or --factorial), repeated per seed')
      .argument('<study>', 'study slug')
      .requiredOption('--intent <intent>', 'kebab-case intent, part of the batch id (baseline, threshold-sweep, ...)')
      .requiredOption('--scenario-rev <scn-vNN>', 'scenario revision')
      .requiredOption('--config-rev <cfg-vNN>', 'config revision')
      .requiredOption('--objective <text>', 'what the batch is for')
      .option('--base <key=path>', 'a base spec path (repeatable; default: the study specs of these revisions)', collect, [])
      .option('--sweep <axis=v1,v2>', 'an axis and its values (repeatable)', collect, [])
      .option('--seeds <list>', 'seeds, comma-separated (default 42): every variant is repeated per seed')
      .option('--factorial', 'the full product of the axes instead of a one-axis sweep')
      .option('--pipeline <file>', 'check the sweep axes against this pipeline (default: the study pipeline.yaml)'),
  ).action(async (name: string, opts: Record<string, unknown>, cmd: Command) => {
    const { batchNewCommand } = await import('./batch-new.js');
    await batchNewCommand(makeContext(cmd, signal), name, opts);
  });
  common(
    batch
      .command('run')
      .description('run the stage pipeline for every variant (or --variant): skip what is unchanged, say why the rest runs')
      .argument('<study>', 'study slug')
      .argument('<batch_id>', 'batch id')
      .option('--variant <id>', 'only this variant (repeatable)', collect, [])
      .option('--jobs <n>', 'variants run in parallel (default 1)')
      .option('--dry-run', 'decide only: which stages would run, and why; run nothing, write nothing')
      .option('--why', 'list every reason each stage runs (or is skipped)')
      .option('--note <text>', 'a note for the registry rows (the run summary follows it)')
      .option('--pipeline <file>', 'the pipeline file (default: runs/<study>/pipeline.yaml)'),
  ).action(async (name: string, batchId: string, opts: Record<string, unknown>, cmd: Command) => {
    const { batchRunCommand } = await import('./batch-run.js');
    await batchRunCommand(makeContext(cmd, signal), name, batchId, opts);
  });
  common(
    batch
      .command('report')
      .description('write batches/<batch_id>/report.md: gates, metrics, segments, stability across seeds, paired comparison with a baseline')
      .argument('<study>', 'study slug')
      .argument('<batch_id>', 'batch id')
      .option('--baseline <batch_id|latest>', 'compare with this batch (latest: registry/latest.txt), paired by seed')
      .option('--force', 'compare even when not comparable, and record it as not comparable')
      .option('--pipeline <file>', 'the pipeline file (default: runs/<study>/pipeline.yaml)'),
  ).action(async (name: string, batchId: string, opts: Record<string, unknown>, cmd: Command) => {
    const { batchReportCommand } = await import('./batch-report.js');
    await batchReportCommand(makeContext(cmd, signal), name, batchId, opts);
  });
  common(
    batch
      .command('promote')
      .description('write registry/latest.txt when the batch succeeded, has no FAIL gate and an up-to-date report')
      .argument('<study>', 'study slug')
      .argument('<batch_id>', 'batch id')
      .option('--pipeline <file>', 'the pipeline file (default: runs/<study>/pipeline.yaml)'),
  ).action(async (name: string, batchId: string, opts: Record<string, unknown>, cmd: Command) => {
    const { batchPromoteCommand } = await import('./batch-promote.js');
    await batchPromoteCommand(makeContext(cmd, signal), name, batchId, opts);
  });
}
