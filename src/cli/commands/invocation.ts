/** `runr invocation record` (seed 001). */
import type { Command } from 'commander';
import { Option } from 'commander';
import type { RegisterDeps } from '../command-group.js';
import { makeContext } from '../context.js';
import { runsDirOption } from './common-options.js';

export function registerInvocationCommands(program: Command, { signal }: RegisterDeps): void {
  const inv = program.command('invocation').description('agent invocations');
  inv
    .command('record')
    .description('record an agent invocation in a run (linked to the gate’s latest attempt)')
    .requiredOption('--run <id>', 'run id, unique prefix, or latest')
    .requiredOption('--gate <gate>', 'gate id')
    .requiredOption('--agent <name>', 'agent name')
    .addOption(new Option('--status <status>', 'invocation status').choices(['SUCCESS', 'FAIL']).default('SUCCESS'))
    .option('--model <model>', 'model used', 'unknown')
    .option('--duration-ms <ms>', 'duration in milliseconds', '0')
    .addOption(runsDirOption())
    .option('--json', 'print JSON')
    .action(async (opts: Record<string, unknown>, cmd: Command) => {
      const { invocationRecord } = await import('./invocation/invocation-record.js');
      await invocationRecord(makeContext(cmd, signal), opts);
    });
}
