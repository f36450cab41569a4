/** Scale-out: `submit`, `worker`, `cancel`, `queue status|sync|wait` (and the hidden `queue-exec`). */
import type { Command } from 'commander';
import { Option } from 'commander';
import type { RegisterDeps } from '../../command-group.js';
import { makeContext } from '../../context.js';

const queueOption = (): Option => new Option('--queue <url>', 'postgres://… or redis://… (default: $RUNR_QUEUE)');

export function registerQueueCommands(program: Command, { signal }: RegisterDeps): void {
  program
    .command('submit')
    .description('queue a task run for the workers (prints {run_id, status: "queued"})')
    .requiredOption('--task <file>', 'task file (.md), in the repository')
    .addOption(queueOption())
    .option('--priority <n>', 'BullMQ priority (1 = highest)')
    .option('--id <run_id>', 'use this run id (submitting the same id twice makes one run)')
    .option('--fast', 'skip PLAN and REVIEW')
    .option('--allow-deps', 'allow changes to dependency lockfiles')
    .option('--time <minutes>', 'time budget of each attempt')
    .option('--max-ticks <n>', 'phase steps allowed per attempt')
    .option('--json', 'print JSON')
    .action(async (opts: Record<string, unknown>, cmd: Command) => {
      const { submitCommand } = await import('./submit.js');
      await submitCommand(makeContext(cmd, signal), opts);
    });

  program
    .command('worker')
    .description('take queued runs and execute them in clones of the repository (until SIGTERM)')
    .addOption(queueOption())
    .option('--concurrency <n>', 'runs at once', '1')
    .option('--repo <path|url>', 'repository to clone (default: the current repository’s origin)')
    .option('--dir <dir>', 'work directory for clones and logs (default: .runr/worker/<name>)')
    .option('--name <id>', 'worker name (default: <host>-<pid>)')
    .option('--drain', 'on SIGTERM, finish the runs in hand (default)')
    .option('--force', 'on SIGTERM, kill the runs in hand and hand them back to the queue')
    .addOption(new Option('--lock-duration <ms>', 'BullMQ lockDuration').default('30000'))
    .addOption(new Option('--stalled-interval <ms>', 'BullMQ stalledInterval').default('15000'))
    .addOption(new Option('--heartbeat <ms>', 'registry heartbeat and cancel poll').default('1000'))
    .option('--json', 'print events as JSON lines')
    .action(async (opts: Record<string, unknown>, cmd: Command) => {
      const { workerCommand } = await import('./worker.js');
      await workerCommand(makeContext(cmd, signal), opts);
    });

  program
    .command('cancel')
    .description('cancel a queued or running run (its worker kills the run’s process group)')
    .argument('<run_id>', 'run id')
    .addOption(queueOption())
    .option('--json', 'print JSON')
    .action(async (runId: string, opts: Record<string, unknown>, cmd: Command) => {
      const { cancelCommand } = await import('./cancel.js');
      await cancelCommand(makeContext(cmd, signal), runId, opts);
    });

  const queue = program.command('queue').description('the run queue: status, sync of records, wait');
  queue
    .command('status')
    .description('queued, running (worker, since, heartbeat), finished and failed runs, with counts')
    .argument('[run_id]', 'one run')
    .addOption(queueOption())
    .option('--json', 'print JSON')
    .action(async (runId: string | undefined, opts: Record<string, unknown>, cmd: Command) => {
      const { queueStatusCommand } = await import('./status.js');
      await queueStatusCommand(makeContext(cmd, signal), runId, opts);
    });
  queue
    .command('sync')
    .description('fetch finished runs’ records (from their branches) into the local store and manifest')
    .argument('[run_id...]', 'only these runs')
    .addOption(queueOption())
    .option('--json', 'print JSON')
    .action(async (ids: string[], opts: Record<string, unknown>, cmd: Command) => {
      const { queueSyncCommand } = await import('./sync.js');
      await queueSyncCommand(makeContext(cmd, signal), ids, opts);
    });
  queue
    .command('wait')
    .description('block until a queued run is finished, then sync its record; exit code = outcome')
    .argument('<run_id>', 'run id')
    .addOption(queueOption())
    .option('--timeout <s>', 'give up after this many seconds (exit 1)')
    .option('--no-sync', 'do not fetch the record')
    .option('--json', 'print JSON')
    .action(async (runId: string, opts: Record<string, unknown>, cmd: Command) => {
      const { queueWaitCommand } = await import('./wait.js');
      await queueWaitCommand(makeContext(cmd, signal), runId, opts);
    });

  program
    .command('queue-exec', { hidden: true })
    .argument('<args_file>', 'JSON written by the worker')
    .action(async (argsFile: string, _opts: unknown, cmd: Command) => {
      const { queueExecCommand } = await import('./exec.js');
      await queueExecCommand(makeContext(cmd, signal), argsFile);
    });
}
