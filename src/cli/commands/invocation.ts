/** `runr invocation record` (seed 001). */
import type { Command } from 'commander';
import type { RegisterDeps } from '../command-group.js';
import { makeContext } from '../context.js';
import { parseOptions, withOptions } from '../option-spec.js';
import { INVOCATION_RECORD } from './invocation/invocation-options.js';

export function registerInvocationCommands(program: Command, { signal }: RegisterDeps): void {
  const inv = program.command('invocation').description('agent invocations');
  withOptions(inv.command('record').description('record an agent invocation in a run (linked to the gate’s latest attempt)'), INVOCATION_RECORD).action(
    async (opts: Record<string, unknown>, cmd: Command) => {
      const { invocationRecord } = await import('./invocation/invocation-record.js');
      await invocationRecord(makeContext(cmd, signal), parseOptions(INVOCATION_RECORD, opts));
    },
  );
}
