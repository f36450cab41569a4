/** `runr view`: every run in one self-contained HTML file, or live on 127.0.0.1 (`--serve`). See docs/view.md. */
import type { Command } from 'commander';
import type { RegisterDeps } from '../../command-group.js';
import { makeContext } from '../../context.js';

export function registerViewCommands(program: Command, { signal }: RegisterDeps): void {
  program
    .command('view')
    .description('write one HTML file showing every run (default .runr/view.html); --serve: live on 127.0.0.1')
    .option('--out <file>', 'the HTML file to write (default .runr/view.html, git-ignored)')
    .option('--where <expr>', "only the runs this query matches (runr find's language)")
    .option('--open', 'open the page in the default browser')
    .option('--serve', 'serve the page on 127.0.0.1 and push new journal events to it (Ctrl-C stops)')
    .option('--port <n>', 'port for --serve (default: a free one, printed)')
    .option('--no-audit', 'do not audit the runs (skips re-hashing their artifacts)')
    .option('--runs-dir <dir>', 'runs directory (default from config: .runr/runs)')
    .option('--json', 'print JSON')
    .action(async (opts: Record<string, unknown>, cmd: Command) => {
      const { viewCommand } = await import('./action.js');
      await viewCommand(makeContext(cmd, signal), opts);
    });
}
