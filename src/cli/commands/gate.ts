/** `runr gate start|finish|fail` (seed 001). */
import type { Command } from 'commander';
import type { RegisterDeps } from '../command-group.js';
import { makeContext } from '../context.js';
import { runsDirOption } from './common-options.js';

export function registerGateCommands(program: Command, { signal }: RegisterDeps): void {
  const gate = program.command('gate').description('gate attempts: start, finish (validate the contract), fail');

  gate
    .command('start')
    .description('start a new gate attempt')
    .requiredOption('--run <id>', 'run id, unique prefix, or latest')
    .requiredOption('--gate <gate>', 'gate id, e.g. G2')
    .option('--agent <name>', 'agent doing the work (default: the workflow’s agent for the gate)')
    .addOption(runsDirOption())
    .option('--json', 'print JSON')
    .action(async (opts: Record<string, unknown>, cmd: Command) => {
      const { gateStart } = await import('./gate/gate-cmds.js');
      await gateStart(makeContext(cmd, signal), opts);
    });

  gate
    .command('finish')
    .description('finish the latest attempt: validate the contract, hash outputs, record PASS or FAIL')
    .requiredOption('--run <id>', 'run id, unique prefix, or latest')
    .requiredOption('--gate <gate>', 'gate id')
    .addOption(runsDirOption())
    .option('--json', 'print JSON')
    .action(async (opts: Record<string, unknown>, cmd: Command) => {
      const { gateFinish } = await import('./gate/gate-cmds.js');
      await gateFinish(makeContext(cmd, signal), opts);
    });

  gate
    .command('fail')
    .description('fail a gate by hand with a reason')
    .requiredOption('--run <id>', 'run id, unique prefix, or latest')
    .requiredOption('--gate <gate>', 'gate id')
    .requiredOption('--reason <text>', 'why it failed')
    .addOption(runsDirOption())
    .option('--json', 'print JSON')
    .action(async (opts: Record<string, unknown>, cmd: Command) => {
      const { gateFail } = await import('./gate/gate-cmds.js');
      await gateFail(makeContext(cmd, signal), opts);
    });
}
