/** Scale-out: `submit`, `worker`, `cancel`, `queue status|sync|wait` (and the hidden `queue-exec`). */
import type { Command } from 'commander';
import type { RegisterDeps } from '../../command-group.js';
import { makeContext } from '../../context.js';
import { parseOptions, withOptions } from '../../option-spec.js';
import { QUEUE_ONLY, QUEUE_WAIT, SUBMIT, WORKER } from './queue-options.js';

export function registerQueueCommands(program: Command, { signal }: RegisterDeps): void {
  withOptions(program.command('submit').description('queue a task run for the workers (prints {run_id, status: "queued"})'), SUBMIT).action(async (opts: Record<string, unknown>, cmd: Command) => {
      const { submitCommand } = await import('./submit.js');
      await submitCommand(makeContext(cmd, signal), parseOptions(SUBMIT, opts));
    });

  withOptions(program.command('worker').description('take queued runs and execute them in clones of the repository (until SIGTERM)'), WORKER).action(async (opts: Record<string, unknown>, cmd: Command) => {
      const { workerCommand } = await import('./worker.js');
      await workerCommand(makeContext(cmd, signal), parseOptions(WORKER, opts));
    });

  withOptions(program.command('cancel').description('cancel a queued or running run (its worker kills the run’s process group)').argument('<run_id>', 'run id'), QUEUE_ONLY).action(
    async (runId: string, opts: Record<string, unknown>, cmd: Command) => {
      const { cancelCommand } = await import('./cancel.js');
      await cancelCommand(makeContext(cmd, signal), runId, parseOptions(QUEUE_ONLY, opts));
    },
  );

  const queue = program.command('queue').description('the run queue: status, sync of records, wait');
  withOptions(queue.command('status').description('queued, running (worker, since, heartbeat), finished and failed runs, with counts').argument('[run_id]', 'one run'), QUEUE_ONLY).action(
    async (runId: string | undefined, opts: Record<string, unknown>, cmd: Command) => {
      const { queueStatusCommand } = await import('./status.js');
      await queueStatusCommand(makeContext(cmd, signal), runId, parseOptions(QUEUE_ONLY, opts));
    },
  );
  withOptions(queue.command('sync').description('fetch finished runs’ records (from their branches) into the local store and manifest').argument('[run_id...]', 'only these runs'), QUEUE_ONLY).action(
    async (ids: string[], opts: Record<string, unknown>, cmd: Command) => {
      const { queueSyncCommand } = await import('./sync.js');
      await queueSyncCommand(makeContext(cmd, signal), ids, parseOptions(QUEUE_ONLY, opts));
    },
  );
  withOptions(queue.command('wait').description('block until a queued run is finished, then sync its record; exit code = outcome').argument('<run_id>', 'run id'), QUEUE_WAIT).action(
    async (runId: string, opts: Record<string, unknown>, cmd: Command) => {
      const { queueWaitCommand } = await import('./wait.js');
      await queueWaitCommand(makeContext(cmd, signal), runId, parseOptions(QUEUE_WAIT, opts));
    },
  );

  program
    .command('queue-exec', { hidden: true })
    .argument('<args_file>', 'JSON written by the worker')
    .action(async (argsFile: string, _opts: unknown, cmd: Command) => {
      const { queueExecCommand } = await import('./exec.js');
      await queueExecCommand(makeContext(cmd, signal), argsFile);
    });
}
