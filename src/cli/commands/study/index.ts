/** `runr study init` and `runr batch new|run|report|promote` (seed 003). Reference: docs/studies.md. */
import type { Command } from 'commander';
import type { RegisterDeps } from '../../command-group.js';
import { makeContext } from '../../context.js';
import { parseOptions, withOptions } from '../../option-spec.js';
import { BATCH_NEW, BATCH_PROMOTE, BATCH_REPORT, BATCH_RUN, STUDY_INIT } from './study-options.js';

export function registerStudyCommands(program: Command, { signal }: RegisterDeps): void {
  const study = program.command('study').description('experiment studies: the runs/<study>/ tree, registry, specs and pipeline');
  withOptions(
    study
      .command('init')
      .description('create runs/<study>/ (registry/runs.csv with its header, specs/, batches/) and a starter pipeline.yaml')
      .argument('<study>', 'study slug, lowercase kebab-case'),
    STUDY_INIT,
  ).action(async (name: string, opts: Record<string, unknown>, cmd: Command) => {
    const { studyInitCommand } = await import('./init.js');
    await studyInitCommand(makeContext(cmd, signal), name, parseOptions(STUDY_INIT, opts));
  });

  const batch = program.command('batch').description('batches of variants: new (sweep → manifest.yaml), run (stage pipeline), report, promote');
  withOptions(
    batch
      .command('new')
      .description('write batches/<batch_id>/manifest.yaml: the baseline plus a one-axis sweep (or --factorial), repeated per seed')
      .argument('<study>', 'study slug'),
    BATCH_NEW,
  ).action(async (name: string, opts: Record<string, unknown>, cmd: Command) => {
    const { batchNewCommand } = await import('./batch-new.js');
    await batchNewCommand(makeContext(cmd, signal), name, parseOptions(BATCH_NEW, opts));
  });
  withOptions(
    batch
      .command('run')
      .description('run the stage pipeline for every variant (or --variant): skip what is unchanged, say why the rest runs')
      .argument('<study>', 'study slug')
      .argument('<batch_id>', 'batch id'),
    BATCH_RUN,
  ).action(async (name: string, batchId: string, opts: Record<string, unknown>, cmd: Command) => {
    const { batchRunCommand } = await import('./batch-run.js');
    await batchRunCommand(makeContext(cmd, signal), name, batchId, parseOptions(BATCH_RUN, opts));
  });
  withOptions(
    batch
      .command('report')
      .description('write batches/<batch_id>/report.md: gates, metrics, segments, stability across seeds, paired comparison with a baseline')
      .argument('<study>', 'study slug')
      .argument('<batch_id>', 'batch id'),
    BATCH_REPORT,
  ).action(async (name: string, batchId: string, opts: Record<string, unknown>, cmd: Command) => {
    const { batchReportCommand } = await import('./batch-report.js');
    await batchReportCommand(makeContext(cmd, signal), name, batchId, parseOptions(BATCH_REPORT, opts));
  });
  withOptions(
    batch
      .command('promote')
      .description('write registry/latest.txt when the batch succeeded, has no FAIL gate and an up-to-date report')
      .argument('<study>', 'study slug')
      .argument('<batch_id>', 'batch id'),
    BATCH_PROMOTE,
  ).action(async (name: string, batchId: string, opts: Record<string, unknown>, cmd: Command) => {
    const { batchPromoteCommand } = await import('./batch-promote.js');
    await batchPromoteCommand(makeContext(cmd, signal), name, batchId, parseOptions(BATCH_PROMOTE, opts));
  });
}
