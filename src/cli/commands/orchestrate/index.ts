/** `runr orchestrate run|status|wait|follow|resume|report` (operator guide, "Advanced: Multiple Runs"). */
import type { Command } from 'commander';
import type { RegisterDeps } from '../../command-group.js';
import { makeContext } from '../../context.js';
import type { CliContext } from '../../context.js';
import type { OptSpecs, ParsedOptions } from '../../option-spec.js';
import { parseOptions, withOptions } from '../../option-spec.js';
import { ORCH_ID, ORCH_RESUME, ORCH_RUN, ORCH_WAIT } from './orch-options.js';

const ID_ARG = ['<orchestration_id>', 'orchestration id, unique prefix, or latest (the latest orchestration)'] as const;

export function registerOrchestrateCommands(program: Command, { signal }: RegisterDeps): void {
  const orch = program.command('orchestrate').description('parallel tracks of task runs: collisions predicted before they happen, a merge queue onto an integration branch');

  withOptions(orch.command('run').description('validate tracks.yaml, start the orchestration and return (the orchestrator runs detached); --json prints {orchestration_id, run_dir, tracks, status: "started"}'), ORCH_RUN).action(
    async (opts: Record<string, unknown>, cmd: Command) => {
      const { orchestrateRunCommand } = await import('./orch-run.js');
      await orchestrateRunCommand(makeContext(cmd, signal), parseOptions(ORCH_RUN, opts));
    },
  );

  /** A subcommand taking an orchestration id: `action` loads its implementation lazily. */
  const byId = <S extends OptSpecs>(name: string, description: string, specs: S, action: (ctx: CliContext, id: string, opts: ParsedOptions<S>) => Promise<void>, hidden = false) =>
    withOptions(orch.command(name, { hidden }).description(description).argument(...ID_ARG), specs).action(async (id: string, opts: Record<string, unknown>, cmd: Command) => {
      await action(makeContext(cmd, signal), id, parseOptions(specs, opts));
    });

  byId('status', 'per track and task: state, run id, stop reason, next action', ORCH_ID, async (ctx, id) => (await import('./orch-status.js')).orchestrateStatusCommand(ctx, id, 'status'));
  byId('report', 'what landed on the integration branch, in which order; what did not and why; the collisions predicted', ORCH_ID, async (ctx, id) => (await import('./orch-status.js')).orchestrateStatusCommand(ctx, id, 'report'));
  byId('wait', 'block until the orchestration ends (exit 0 every task landed, 3 stopped, 124 timeout, 2 bad input)', ORCH_WAIT, async (ctx, id, o) => (await import('./orch-wait.js')).orchestrateWaitCommand(ctx, id, o));
  byId('follow', 'live tail of the orchestration journal until it ends (--json: one event per line)', ORCH_ID, async (ctx, id) => (await import('./orch-wait.js')).orchestrateFollowCommand(ctx, id));
  byId('resume', 'continue after a stop or a crash of the orchestrator; no task runs twice', ORCH_RESUME, async (ctx, id, o) => (await import('./orch-run.js')).orchestrateResumeCommand(ctx, id, o));
  byId('drive', 'the detached orchestrator process (started by orchestrate run/resume)', ORCH_ID, async (ctx, id) => (await import('./orch-run.js')).orchestrateDriveCommand(ctx, id), true);
}
