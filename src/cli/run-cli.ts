import { CommanderError } from 'commander';
import { ExitCode, RunrError } from '../core/errors.js';
import { escapeControl } from '../core/one-line.js';
import { QuerySyntaxError } from '../core/query/errors.js';
import { buildProgram } from './program.js';
import { installSignalHandlers } from './signals.js';
import { rewriteArgv } from './argv.js';

/** Parse and run one command line; returns the exit code. Never calls process.exit. */
export async function runCli(argv: string[], forceExit: () => void = () => undefined): Promise<number> {
  const signals = installSignalHandlers(forceExit);
  try {
    const program = buildProgram(signals.signal);
    // Commands that do real work load zod anyway; --version and --help should not.
    if (!argv.some((a) => a === '-V' || a === '--version' || a === '-h' || a === '--help') && argv.length > 0) {
      const { configureZodForCli } = await import('./zod-cli.js');
      configureZodForCli();
    }
    await program.parseAsync(rewriteArgv(argv), { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (err) {
    return reportError(err, signals.signal.aborted);
  } finally {
    signals.dispose();
  }
}

export function reportError(err: unknown, interrupted: boolean): number {
  if (err instanceof CommanderError) {
    // Help and version are "errors" to commander; they have already been printed.
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') {
      return ExitCode.ok;
    }
    return ExitCode.invalid;
  }
  if (err instanceof RunrError) {
    // One line, control characters escaped; a query error alone adds its caret lines.
    const lines = err instanceof QuerySyntaxError ? err.message.split('\n') : [err.message];
    if (err.message !== '') process.stderr.write(`error: ${lines.map(escapeControl).join('\n')}\n`);
    return err.exitCode;
  }
  if (interrupted) {
    process.stderr.write('interrupted\n');
    return ExitCode.interrupted;
  }
  const stack = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(
    `internal error (this is a bug in runr; please report it with the lines below)\n${stack}\n`,
  );
  return ExitCode.internal;
}
