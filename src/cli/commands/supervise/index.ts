/** Supervision: `wait`, `follow`, `watch` (Runr operator guide §4–5; docs/supervise.md). */
import type { Command } from 'commander';
import type { RegisterDeps } from '../../command-group.js';
import { makeContext } from '../../context.js';

export function registerSuperviseCommands(program: Command, { signal }: RegisterDeps): void {
  program
    .command('wait')
    .description('block until a run reaches a condition (exit 0 complete/running, 3 stopped, 124 timeout)')
    .argument('<run_id>', 'run id, unique prefix, or latest')
    .requiredOption('--for <condition>', 'terminal | complete | stop | phase:<PHASE> | milestone:<n> | gate:<G>')
    .option('--timeout <seconds>', 'give up after this long (exit 124)')
    .action(async (runArg: string, opts: Record<string, unknown>, cmd: Command) => {
      const { waitCommand } = await import('./wait.js');
      await waitCommand(makeContext(cmd, signal), runArg, opts);
    });

  program
    .command('follow')
    .description('tail a run live (phases, verification, checkpoints, stops) until it is terminal')
    .argument('<run_id>', 'run id, unique prefix, or latest')
    .option('--since <start|now>', 'start: from the beginning of the journal (default); now: new events only')
    .action(async (runArg: string, opts: Record<string, unknown>, cmd: Command) => {
      const { followCommand } = await import('./follow.js');
      await followCommand(makeContext(cmd, signal), runArg, opts);
    });

  program
    .command('watch')
    .description('follow a run and report; --auto-resume resumes transient stops (exit 0 complete, 3 stopped)')
    .argument('<run_id>', 'run id, unique prefix, or latest')
    .option('--auto-resume', 'resume on the resumable stop reasons of the stop-reason registry')
    .option('--max-attempts <N>', 'auto-resume at most N times (default 3)')
    .option('--cooldown <seconds>', 'wait this long before each resume (default 10)')
    .action(async (runArg: string, opts: Record<string, unknown>, cmd: Command) => {
      const { watchCommand } = await import('./watch.js');
      await watchCommand(makeContext(cmd, signal), runArg, opts);
    });
}
