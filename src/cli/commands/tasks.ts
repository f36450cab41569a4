/** Agent task runs: `run --task` (hidden `run-task`), `resume`, `status`, `report` (Runr operator guide). */
import type { Command } from 'commander';
import type { RegisterDeps } from '../command-group.js';
import { makeContext } from '../context.js';
import { parseOptions, withOptions } from '../option-spec.js';
import { REPORT, RESUME, RUN_TASK, STATUS } from './tasks/task-options.js';

export function registerTaskCommands(program: Command, { signal }: RegisterDeps): void {
  withOptions(
    program
      .command('run-task', { hidden: true })
      .description('run an agent task: PLAN → IMPLEMENT → VERIFY → REVIEW → CHECKPOINT per milestone')
      .usage('--task <file> [options]'),
    RUN_TASK,
  ).action(async (opts: Record<string, unknown>, cmd: Command) => {
    const { runTaskCommand } = await import('./tasks/run-task.js');
    await runTaskCommand(makeContext(cmd, signal), parseOptions(RUN_TASK, opts));
  });

  withOptions(
    program
      .command('resume')
      .description('continue a stopped task run after its last checkpoint (resets the milestone’s retry budget)')
      .argument('<run_id>', 'run id, unique prefix, or latest'),
    RESUME,
  ).action(async (runArg: string, opts: Record<string, unknown>, cmd: Command) => {
    const { resumeCommand } = await import('./tasks/run-task.js');
    await resumeCommand(makeContext(cmd, signal), runArg, parseOptions(RESUME, opts));
  });

  withOptions(
    program
      .command('status')
      .description('run state: phase, milestones, stop reason, verification failures (JSON unless stdout is a terminal)')
      .argument('[run_id]', 'run id, unique prefix, or latest (default: latest)'),
    STATUS,
  ).action(async (runArg: string | undefined, opts: Record<string, unknown>, cmd: Command) => {
    const { statusCommand } = await import('./tasks/task-status.js');
    await statusCommand(makeContext(cmd, signal), runArg, parseOptions(STATUS, opts));
  });

  withOptions(
    program
      .command('report')
      .description('KPIs, outcome, stop reason and the next action of a run')
      .argument('<run_id>', 'run id, unique prefix, or latest'),
    REPORT,
  ).action(async (runArg: string, opts: Record<string, unknown>, cmd: Command) => {
    const { reportCommand } = await import('./tasks/task-report.js');
    await reportCommand(makeContext(cmd, signal), runArg, parseOptions(REPORT, opts));
  });
}
