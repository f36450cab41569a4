/** `runr gate start|finish|fail` (seed 001). */
import type { Command } from 'commander';
import type { RegisterDeps } from '../command-group.js';
import { makeContext } from '../context.js';
import { parseOptions, withOptions } from '../option-spec.js';
import { GATE_FAIL, GATE_FINISH, GATE_START } from './gate/gate-options.js';

export function registerGateCommands(program: Command, { signal }: RegisterDeps): void {
  const gate = program.command('gate').description('gate attempts: start, finish (validate the contract), fail');

  withOptions(gate.command('start').description('start a new gate attempt'), GATE_START).action(async (opts: Record<string, unknown>, cmd: Command) => {
    const { gateStart } = await import('./gate/gate-cmds.js');
    await gateStart(makeContext(cmd, signal), parseOptions(GATE_START, opts));
  });

  withOptions(gate.command('finish').description('finish the latest attempt: validate the contract, hash outputs, record PASS or FAIL'), GATE_FINISH).action(
    async (opts: Record<string, unknown>, cmd: Command) => {
      const { gateFinish } = await import('./gate/gate-cmds.js');
      await gateFinish(makeContext(cmd, signal), parseOptions(GATE_FINISH, opts));
    },
  );

  withOptions(gate.command('fail').description('fail a gate by hand with a reason'), GATE_FAIL).action(async (opts: Record<string, unknown>, cmd: Command) => {
    const { gateFail } = await import('./gate/gate-cmds.js');
    await gateFail(makeContext(cmd, signal), parseOptions(GATE_FAIL, opts));
  });
}
