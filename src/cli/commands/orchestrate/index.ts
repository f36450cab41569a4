/** `runr orchestrate run|status|wait|follow|resume|report` (operator guide, "Advanced: Multiple Runs"). */
import type { Command } from 'commander';
import { Option } from 'commander';
import type { RegisterDeps } from '../../command-group.js';
import { makeContext } from '../../context.js';
import { runsDirOption } from '../common-options.js';

const ID_HELP = 'orchestration id, unique prefix, or latest (the latest orchestration)';

export function registerOrchestrateCommands(program: Command, { signal }: RegisterDeps): void {
  const orch = program.command('orchestrate').description('parallel tracks of task runs: collisions predicted before they happen, a merge queue onto an integration branch');
  /** A subcommand of one orchestration: `<orchestration_id>` and `--runs-dir`. */
  const onOrchestration = (name: string, description: string, opts: { hidden?: boolean } = {}) => orch.command(name, opts).description(description).argument('<orchestration_id>', ID_HELP).addOption(runsDirOption());

  orch
    .command('run')
    .description('validate tracks.yaml, start the orchestration and return (the orchestrator runs detached)')
    .requiredOption('--config <file>', 'tracks file: tracks: [{id, tasks: [{path}]}]')
    .option('--worktree', 'run every task in its own worktree (always the case; accepted for the operator guide)')
    .addOption(new Option('--collision-policy <policy>', 'what a predicted collision does to the later track').choices(['serialize', 'fail', 'force']).default('serialize'))
    .option('--max-parallel <n>', 'tracks running at once (default: the number of tracks)')
    .option('--integrate <branch>', 'integration branch the merge queue lands on (default runr/orch/<id>; never your checked-out branch)')
    .option('--fast', 'run every task with --fast (no PLAN, no REVIEW)')
    .option('--allow-deps', 'allow dependency lockfile changes in every task')
    .option('--foreground', 'drive the orchestration in this process until it ends (exit 0 all landed, 3 stopped)')
    .addOption(runsDirOption())
    .option('--json', 'print {orchestration_id, run_dir, tracks: [{id, tasks}], status: "started"} and return')
    .action(async (opts: Record<string, unknown>, cmd: Command) => {
      const { orchestrateRunCommand } = await import('./orch-run.js');
      await orchestrateRunCommand(makeContext(cmd, signal), opts);
    });

  onOrchestration('status', 'per track and task: state, run id, stop reason, next action')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: Record<string, unknown>, cmd: Command) => {
      const { orchestrateStatusCommand } = await import('./orch-status.js');
      await orchestrateStatusCommand(makeContext(cmd, signal), id, opts, 'status');
    });

  onOrchestration('report', 'what landed on the integration branch, in which order; what did not and why; the collisions predicted')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: Record<string, unknown>, cmd: Command) => {
      const { orchestrateStatusCommand } = await import('./orch-status.js');
      await orchestrateStatusCommand(makeContext(cmd, signal), id, opts, 'report');
    });

  onOrchestration('wait', 'block until the orchestration ends (exit 0 every task landed, 3 stopped, 124 timeout, 2 bad input)')
    .addOption(new Option('--for <condition>', 'terminal | complete | stop').choices(['terminal', 'complete', 'stop']).default('terminal'))
    .option('--timeout <seconds>', 'give up after this long (exit 124)')
    .option('--json', 'print the status JSON when the wait ends')
    .action(async (id: string, opts: Record<string, unknown>, cmd: Command) => {
      const { orchestrateWaitCommand } = await import('./orch-wait.js');
      await orchestrateWaitCommand(makeContext(cmd, signal), id, opts);
    });

  onOrchestration('follow', 'live tail of the orchestration journal until it ends')
    .option('--json', 'one JSON event per line')
    .action(async (id: string, opts: Record<string, unknown>, cmd: Command) => {
      const { orchestrateFollowCommand } = await import('./orch-wait.js');
      await orchestrateFollowCommand(makeContext(cmd, signal), id, opts);
    });

  onOrchestration('resume', 'continue after a stop or a crash of the orchestrator; no task runs twice')
    .option('--foreground', 'drive it in this process until it ends')
    .option('--json', 'print {orchestration_id, run_dir, status: "resumed"} and return')
    .action(async (id: string, opts: Record<string, unknown>, cmd: Command) => {
      const { orchestrateResumeCommand } = await import('./orch-run.js');
      await orchestrateResumeCommand(makeContext(cmd, signal), id, opts);
    });

  onOrchestration('drive', 'the detached orchestrator process (started by orchestrate run/resume)', { hidden: true })
    .action(async (id: string, opts: Record<string, unknown>, cmd: Command) => {
      const { orchestrateDriveCommand } = await import('./orch-run.js');
      await orchestrateDriveCommand(makeContext(cmd, signal), id, opts);
    });
}
