/** `runr ops` (scan → monitor → verify → report) and its stages on their own (seed 000). Reference: docs/ops.md. */
import type { Command } from 'commander';
import type { RegisterDeps } from '../command-group.js';
import { makeContext } from '../context.js';

type Stage = 'lifecycle' | 'scan' | 'monitor' | 'verify' | 'report';

function addOpsOptions(cmd: Command, stage: Stage): Command {
  cmd
    .option('--runtime-dir <dir>', 'the harness runtime dir (default: config ops.runtime_dir, else "runtime")')
    .option('--preset <name>', 'a preset: phase4b, or one from .runr/runr.config.json ops.presets')
    .option('--run-id <glob>', 'run id (a glob, as in the harness; default autonomous_exec_v0_1_llm)')
    .option('--seed <n>', 'only runs whose instance id ends in _seed<n>')
    .option('--models <a,b>', 'only runs with exactly these model_ids (comma-separated)');
  if (stage !== 'scan') {
    cmd
      .option('--strict-tmp', 'no_tmp_remains: any *.tmp under the runtime dir fails every run (the harness\'s check)')
      .option('--verifier <argv>', 'also run this external verifier per run (argv, no shell; see docs/ops.md)')
      .option('--verifier-timeout <s>', 'timeout of the external verifier per run (default 300)');
  }
  cmd
    .option('--exit-zero', 'always exit 0 when the command ran (the harness\'s behaviour)')
    .option('--no-record', 'do not record this invocation as a run in the store')
    .option('--json', 'print JSON');
  if (stage === 'lifecycle' || stage === 'report') {
    cmd
      .option('--min-valid <n>', 'valid runs needed for a report (default 1, phase4b 2)')
      .option('--report <generator>', 'report generator: compaction-signal | summary')
      .option('--recommend', 'print the phase-4B wrapper\'s recommendation (runr ops --preset phase4b --recommend)');
  }
  if (stage === 'lifecycle' || stage === 'monitor') {
    cmd.option('--poll <s>', 'poll interval while monitoring, seconds (default 15; file events wake it sooner)');
    cmd.option('--timeout <s>', 'how long to wait for unfinished runs (all at once), seconds (default 600)');
  }
  return cmd;
}

export function registerOpsCommands(program: Command, { signal }: RegisterDeps): void {
  const run = (stage: Stage) => async (_opts: Record<string, unknown>, cmd: Command) => {
    const { opsCommand } = await import('./ops/ops-command.js');
    await opsCommand(stage, makeContext(cmd, signal), cmd.optsWithGlobals());
  };
  const ops = addOpsOptions(
    program.command('ops').description('benchmark run artifacts: scan → monitor → verify → report (the whole lifecycle without a stage)'),
    'lifecycle',
  ).action(run('lifecycle'));
  addOpsOptions(ops.command('scan').description('list the runs of a run id: active, incomplete, complete'), 'scan').action(run('scan'));
  addOpsOptions(ops.command('monitor').description('wait for active and incomplete runs to finish (file events, poll fallback)'), 'monitor').action(run('monitor'));
  addOpsOptions(ops.command('verify').description("run the harness verifier's six checks on every run that is not active"), 'verify').action(run('verify'));
  addOpsOptions(ops.command('report').description('verify complete runs and write the report now (no monitoring)'), 'report').action(run('report'));
}
