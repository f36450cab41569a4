/** Supervision: `wait`, `follow`, `watch` (Runr operator guide §4–5; docs/supervise.md). */
import type { Command } from 'commander';
import type { RegisterDeps } from '../../command-group.js';
import { makeContext } from '../../context.js';
import { parseOptions, withOptions } from '../../option-spec.js';
import { FOLLOW, WAIT, WATCH } from './options.js';

export function registerSuperviseCommands(program: Command, { signal }: RegisterDeps): void {
  withOptions(
    program
      .command('wait')
      .description('block until a run reaches a condition (exit 0 complete/running, 3 stopped, 124 timeout)')
      .argument('<run_id>', 'run id, unique prefix, or latest'),
    WAIT,
  ).action(async (runArg: string, opts: Record<string, unknown>, cmd: Command) => {
    const { waitCommand } = await import('./wait.js');
    await waitCommand(makeContext(cmd, signal), runArg, parseOptions(WAIT, opts));
  });

  withOptions(
    program
      .command('follow')
      .description('tail a run live (phases, verification, checkpoints, stops) until it is terminal')
      .argument('<run_id>', 'run id, unique prefix, or latest'),
    FOLLOW,
  ).action(async (runArg: string, opts: Record<string, unknown>, cmd: Command) => {
    const { followCommand } = await import('./follow.js');
    await followCommand(makeContext(cmd, signal), runArg, parseOptions(FOLLOW, opts));
  });

  withOptions(
    program
      .command('watch')
      .description('follow a run and report; --auto-resume resumes transient stops (exit 0 complete, 3 stopped)')
      .argument('<run_id>', 'run id, unique prefix, or latest'),
    WATCH,
  ).action(async (runArg: string, opts: Record<string, unknown>, cmd: Command) => {
    const { watchCommand } = await import('./watch.js');
    await watchCommand(makeContext(cmd, signal), runArg, parseOptions(WATCH, opts));
  });
}
