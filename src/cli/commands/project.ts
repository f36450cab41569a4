/** `runr init`, `runr doctor`, `runr audit`, `runr demo`. */
import type { Command } from 'commander';
import type { RegisterDeps } from '../command-group.js';
import { makeContext } from '../context.js';
import { parseOptions, withOptions } from '../option-spec.js';
import { AUDIT, DEMO, DOCTOR, INIT } from './project/project-options.js';

export function registerProjectCommands(program: Command, { signal }: RegisterDeps): void {
  withOptions(program.command('init').description('create .runr/ (config, contracts, workflows) and the selective .gitignore rules'), INIT).action(
    async (opts: Record<string, unknown>, cmd: Command) => {
      const { init } = await import('./project/init-cmd.js');
      await init(makeContext(cmd, signal), parseOptions(INIT, opts));
    },
  );

  withOptions(program.command('doctor').description('check config, contracts, workflows, git state, ignore rules, stale locks; tracked bytes per run'), DOCTOR).action(
    async (opts: Record<string, unknown>, cmd: Command) => {
      const { doctor } = await import('./project/doctor-cmd.js');
      await doctor(makeContext(cmd, signal), parseOptions(DOCTOR, opts));
    },
  );

  withOptions(
    program.command('audit').description('verify a run’s journal chain and re-hash its recorded artifacts').argument('<run>', 'run id, unique prefix, or latest'),
    AUDIT,
  ).action(async (runArg: string, opts: Record<string, unknown>, cmd: Command) => {
    const { audit } = await import('./project/audit-cmd.js');
    await audit(makeContext(cmd, signal), runArg, parseOptions(AUDIT, opts));
  });

  withOptions(program.command('demo').description('build throwaway git repos: a workflow end to end (a gate fails, then passes), task runs, and a study (--studies: only the study)'), DEMO).action(
    async (opts: Record<string, unknown>, cmd: Command) => {
      const { demo } = await import('./project/demo-cmd.js');
      await demo(makeContext(cmd, signal), parseOptions(DEMO, opts));
    },
  );
}
