/** Agent task runs: `run --task` (hidden `run-task`), `resume`, `status`, `report` (Runr operator guide). */
import type { Command } from 'commander';
import type { RegisterDeps } from '../command-group.js';
import { makeContext } from '../context.js';
import { runsDirOption } from './common-options.js';

export function registerTaskCommands(program: Command, { signal }: RegisterDeps): void {
  program
    .command('run-task', { hidden: true })
    .description('run an agent task: PLAN → IMPLEMENT → VERIFY → REVIEW → CHECKPOINT per milestone (`runr run --task <file>`)')
    .requiredOption('--task <file>', 'task file (.md with Goal / Requirements / Success Criteria)')
    .option('--worktree', 'work in an isolated worktree .runr/worktrees/<run-id> (recommended)')
    .option('--fast', 'skip PLAN and REVIEW')
    .option('--allow-deps', 'allow changes to dependency lockfiles')
    .option('--allow-dirty', 'work in place even though the working tree has uncommitted changes')
    .option('--time <minutes>', 'time budget for this session')
    .option('--max-ticks <n>', 'phase steps allowed in this session')
    .addOption(runsDirOption())
    .option('--json', 'print {run_id, run_dir, repo_root, status} as soon as the run starts, nothing else (detaches: see --foreground)')
    .option('--detach', 'run in a background supervisor and return at once (default with --json)')
    .option('--foreground', 'run in this process until the session stops (default without --json)')
    .action(async (opts: Record<string, unknown>, cmd: Command) => {
      const { runTaskCommand } = await import('./tasks/run-task.js');
      await runTaskCommand(makeContext(cmd, signal), opts);
    });

  program
    .command('resume')
    .description('continue a stopped task run after its last checkpoint (resets the milestone’s retry budget)')
    .argument('<run_id>', 'run id, unique prefix, or latest')
    .option('--time <minutes>', 'time budget for this session')
    .option('--max-ticks <n>', 'phase steps allowed in this session')
    .option('--reload-config', 'use the current .runr/runr.config.json instead of the config the run started with')
    .option('--allow-deps', 'allow dependency lockfile changes from now on (resumes a guard_violation on lockfiles alone)')
    .addOption(runsDirOption())
    .option('--json', 'print {run_id, run_dir, repo_root, status} when the session starts, nothing else (detaches: see --foreground)')
    .option('--detach', 'resume in a background supervisor and return at once (default with --json)')
    .option('--foreground', 'resume in this process until the session stops (default without --json)')
    .action(async (runArg: string, opts: Record<string, unknown>, cmd: Command) => {
      const { resumeCommand } = await import('./tasks/run-task.js');
      await resumeCommand(makeContext(cmd, signal), runArg, opts);
    });

  program
    .command('status')
    .description('run state: phase, milestones, stop reason, verification failures (JSON unless stdout is a terminal)')
    .argument('[run_id]', 'run id, unique prefix, or latest (default: latest)')
    .option('--all', 'list every run')
    .addOption(runsDirOption())
    .option('--json', 'print JSON even on a terminal')
    .action(async (runArg: string | undefined, opts: Record<string, unknown>, cmd: Command) => {
      const { statusCommand } = await import('./tasks/task-status.js');
      await statusCommand(makeContext(cmd, signal), runArg, opts);
    });

  program
    .command('report')
    .description('KPIs, outcome, stop reason and the next action of a run')
    .argument('<run_id>', 'run id, unique prefix, or latest')
    .option('--kpi-only', 'only the KPIs (duration, phase timings, verification attempts)')
    .addOption(runsDirOption())
    .option('--json', 'print JSON (includes next_action and suggested_command)')
    .action(async (runArg: string, opts: Record<string, unknown>, cmd: Command) => {
      const { reportCommand } = await import('./tasks/task-report.js');
      await reportCommand(makeContext(cmd, signal), runArg, opts);
    });
}
