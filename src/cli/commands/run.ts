/** `runr run start|list|show|complete` and CI mode `runr run <workflow>` (seed 001). */
import type { Command } from 'commander';
import { Option } from 'commander';
import type { RegisterDeps } from '../command-group.js';
import { makeContext } from '../context.js';
import { depthOption, runsDirOption } from './common-options.js';


export function registerRunCommands(program: Command, { signal }: RegisterDeps): void {
  const run = program.command('run').description('workflow runs: start, list, show, complete; `run <workflow>` runs every gate (CI mode); `run --task <file>` runs an agent task');

  run
    .command('start')
    .description('initialize a new workflow run (manual mode)')
    .requiredOption('--workflow <name|path>', 'workflow name (in .runr/workflows) or file path (.json, .yaml)')
    .requiredOption('--slug <slug>', 'essay or project slug')
    .requiredOption('--artifact-path <path>', 'repository-relative artifact directory')
    .addOption(depthOption())
    .option('--param <key=value...>', 'extra run parameters (recorded, usable as {key} in templates)')
    .option('--tag <key=value...>', 'tags for the manifest')
    .addOption(runsDirOption())
    .option('--json', 'print JSON')
    .action(async (opts: Record<string, unknown>, cmd: Command) => {
      const { runStart } = await import('./run/run-start.js');
      await runStart(makeContext(cmd, signal), opts);
    });

  run
    .command('list')
    .description('list runs, newest first')
    .addOption(runsDirOption())
    .option('--json', 'print JSON')
    .action(async (opts: Record<string, unknown>, cmd: Command) => {
      const { runList } = await import('./run/run-list.js');
      await runList(makeContext(cmd, signal), opts);
    });

  run
    .command('show')
    .description('show a run record (RUN.json)')
    .requiredOption('--run <id>', 'run id, unique prefix, or latest')
    .addOption(runsDirOption())
    .option('--json', 'print JSON (the record itself)')
    .action(async (opts: Record<string, unknown>, cmd: Command) => {
      const { runShow } = await import('./run/run-show.js');
      await runShow(makeContext(cmd, signal), opts);
    });

  run
    .command('complete')
    .description('mark a run complete')
    .requiredOption('--run <id>', 'run id, unique prefix, or latest')
    .addOption(new Option('--status <status>', 'final status (default: derived from gates)').choices(['PASSED', 'FAILED', 'CANCELED']))
    .option('--force', 'mark PASSED even over a failed blocking gate (recorded as an override)')
    .addOption(runsDirOption())
    .option('--json', 'print JSON')
    .action(async (opts: Record<string, unknown>, cmd: Command) => {
      const { runComplete } = await import('./run/run-complete.js');
      await runComplete(makeContext(cmd, signal), opts);
    });

  program
    .command('run-workflow', { hidden: true })
    .description('CI mode: run every gate of a workflow (`runr run <workflow> ...`)')
    .argument('<workflow>', 'workflow name or file')
    .requiredOption('--slug <slug>', 'essay or project slug')
    .requiredOption('--artifact-path <path>', 'repository-relative artifact directory')
    .addOption(depthOption())
    .option('--prompt-file <path>', 'topic/prompt file, relative to the repository root')
    .option('--param <key=value...>', 'extra run parameters')
    .option('--tag <key=value...>', 'tags for the manifest')
    .option('--timeout <seconds>', 'how long a manual gate waits for its outputs without a TTY', '3600')
    .addOption(runsDirOption())
    .option('--json', 'print JSON')
    .action(async (workflow: string, opts: Record<string, unknown>, cmd: Command) => {
      const { runWorkflowCi } = await import('./run/run-ci.js');
      await runWorkflowCi(makeContext(cmd, signal), workflow, opts);
    });
}
