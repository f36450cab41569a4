/** `runr ops` (scan → monitor → verify → report) and its stages on their own (seed 000). Reference: docs/ops.md. */
import type { Command } from 'commander';
import type { RegisterDeps } from '../command-group.js';
import { makeContext } from '../context.js';
import { parseOptions, withOptions } from '../option-spec.js';
import { OPS_ALL, opsSpecs } from './ops/ops-options.js';
import type { OpsStage } from '../../core/events/ops.js';

export function registerOpsCommands(program: Command, { signal }: RegisterDeps): void {
  const run = (stage: OpsStage) => async (_opts: Record<string, unknown>, cmd: Command) => {
    const { opsCommand } = await import('./ops/ops-command.js');
    // A stage sees the options given before it too (`runr ops --preset phase4b verify`).
    await opsCommand(stage, makeContext(cmd, signal), parseOptions(OPS_ALL, cmd.optsWithGlobals()));
  };
  const ops = withOptions(
    program.command('ops').description('benchmark run artifacts: scan → monitor → verify → report (the whole lifecycle without a stage)'),
    opsSpecs('lifecycle'),
  ).action(run('lifecycle'));
  withOptions(ops.command('scan').description('list the runs of a run id: active, incomplete, complete'), opsSpecs('scan')).action(run('scan'));
  withOptions(ops.command('monitor').description('wait for active and incomplete runs to finish (file events, poll fallback)'), opsSpecs('monitor')).action(run('monitor'));
  withOptions(ops.command('verify').description("run the harness verifier's six checks on every run that is not active"), opsSpecs('verify')).action(run('verify'));
  withOptions(ops.command('report').description('verify complete runs and write the report now (no monitoring)'), opsSpecs('report')).action(run('report'));
}
