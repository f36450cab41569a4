/** `runr view`: every run in one self-contained HTML file, or live on 127.0.0.1 (`--serve`). See docs/view.md. */
import type { Command } from 'commander';
import type { RegisterDeps } from '../../command-group.js';
import { makeContext } from '../../context.js';
import { parseOptions, withOptions } from '../../option-spec.js';
import { VIEW } from './view-options.js';

export function registerViewCommands(program: Command, { signal }: RegisterDeps): void {
  withOptions(
    program.command('view').description('write one HTML file showing every run (default .runr/view.html); --serve: live on 127.0.0.1'),
    VIEW,
  ).action(async (opts: Record<string, unknown>, cmd: Command) => {
    const { viewCommand } = await import('./action.js');
    await viewCommand(makeContext(cmd, signal), parseOptions(VIEW, opts));
  });
}
