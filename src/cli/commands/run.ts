/** `runr run start|list|show|complete` and CI mode `runr run <workflow>` (seed 001). */
import type { Command } from 'commander';
import type { RegisterDeps } from '../command-group.js';
import { makeContext } from '../context.js';
import { parseOptions, withOptions } from '../option-spec.js';
import { RUN_CI, RUN_COMPLETE, RUN_LIST, RUN_SHOW, RUN_START } from './run/run-options.js';

const RUN_HELP = `
Also:
  runr run --task <file> [--worktree] [--fast] [--allow-deps] [--allow-dirty] [--time <minutes>]
           [--max-ticks <n>] [--detach | --foreground]
                          run an agent task (see: runr run --task x --help); with --json (or
                          --detach) it returns {run_id, run_dir, repo_root, status: "started"} at
                          once and the run goes on in a background supervisor (docs/supervise.md)
  runr run <workflow> --slug <slug> --artifact-path <path> [--depth <depth>] [--prompt-file <path>]
           [--param <key=value...>] [--tag <key=value...>] [--timeout <seconds>]
                          CI mode: run every gate of a workflow (see: runr run <workflow> --help)`;

export function registerRunCommands(program: Command, { signal }: RegisterDeps): void {
  const run = program
    .command('run')
    .description('workflow runs: start, list, show, complete; `run <workflow>` runs every gate (CI mode); `run --task <file>` runs an agent task')
    .addHelpText('after', RUN_HELP);

  withOptions(run.command('start').description('initialize a new workflow run (manual mode)'), RUN_START).action(async (opts: Record<string, unknown>, cmd: Command) => {
    const { runStart } = await import('./run/run-start.js');
    await runStart(makeContext(cmd, signal), parseOptions(RUN_START, opts));
  });

  withOptions(run.command('list').description('list runs, newest first'), RUN_LIST).action(async (opts: Record<string, unknown>, cmd: Command) => {
    const { runList } = await import('./run/run-list.js');
    await runList(makeContext(cmd, signal), parseOptions(RUN_LIST, opts));
  });

  withOptions(run.command('show').description('show a run record (RUN.json)'), RUN_SHOW).action(async (opts: Record<string, unknown>, cmd: Command) => {
    const { runShow } = await import('./run/run-show.js');
    await runShow(makeContext(cmd, signal), parseOptions(RUN_SHOW, opts));
  });

  withOptions(run.command('complete').description('mark a run complete'), RUN_COMPLETE).action(async (opts: Record<string, unknown>, cmd: Command) => {
    const { runComplete } = await import('./run/run-complete.js');
    await runComplete(makeContext(cmd, signal), parseOptions(RUN_COMPLETE, opts));
  });

  withOptions(
    program
      .command('run-workflow', { hidden: true })
      .description('CI mode: run every gate of a workflow')
      .argument('<workflow>', 'workflow name or file')
      .usage('<workflow> --slug <slug> --artifact-path <path> [options]'),
    RUN_CI,
  ).action(async (workflow: string, opts: Record<string, unknown>, cmd: Command) => {
    const { runWorkflowCi } = await import('./run/run-ci.js');
    await runWorkflowCi(makeContext(cmd, signal), workflow, parseOptions(RUN_CI, opts));
  });
}
