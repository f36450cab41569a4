/** `runr init`, `runr doctor`, `runr audit`, `runr demo`. */
import type { Command } from 'commander';
import type { RegisterDeps } from '../command-group.js';
import { makeContext } from '../context.js';
import { runsDirOption } from './common-options.js';

export function registerProjectCommands(program: Command, { signal }: RegisterDeps): void {
  program
    .command('init')
    .description('create .runr/ (config, contracts, workflows) and the selective .gitignore rules')
    .option('--print', 'print what would be written, write nothing')
    .option('--force', 'overwrite an existing config')
    .option('--demo', 'create a self-contained task-run demo repository (scripted worker, three tasks)')
    .option('--dir <dir>', 'with --demo: where to create it (default: a new temp directory)')
    .option('--interactive', 'setup wizard (not available yet)')
    .option('--json', 'print JSON')
    .action(async (opts: Record<string, unknown>, cmd: Command) => {
      const { init } = await import('./project/init-cmd.js');
      await init(makeContext(cmd, signal), opts);
    });

  program
    .command('doctor')
    .description('check config, contracts, workflows, git state, ignore rules, stale locks; tracked bytes per run')
    .addOption(runsDirOption())
    .option('--json', 'print JSON')
    .action(async (opts: Record<string, unknown>, cmd: Command) => {
      const { doctor } = await import('./project/doctor-cmd.js');
      await doctor(makeContext(cmd, signal), opts);
    });

  program
    .command('audit')
    .description('verify a run’s journal chain and re-hash its recorded artifacts')
    .argument('<run>', 'run id, unique prefix, or latest')
    .addOption(runsDirOption())
    .option('--json', 'print JSON')
    .action(async (runArg: string, opts: Record<string, unknown>, cmd: Command) => {
      const { audit } = await import('./project/audit-cmd.js');
      await audit(makeContext(cmd, signal), runArg, opts);
    });

  program
    .command('demo')
    .description('build a throwaway git repo and run a workflow end to end (a gate fails, then passes)')
    .option('--dir <dir>', 'where to build the demo repository (default: a new temp directory)')
    .option('--json', 'print JSON')
    .action(async (opts: Record<string, unknown>, cmd: Command) => {
      const { demo } = await import('./project/demo-cmd.js');
      await demo(makeContext(cmd, signal), opts);
    });
}
