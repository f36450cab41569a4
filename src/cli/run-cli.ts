import { CommanderError } from 'commander';
import { ExitCode, RunrError } from '../core/errors.js';
import { buildProgram } from './program.js';
import { installSignalHandlers } from './signals.js';
import { rewriteArgv } from './argv.js';
import { deferManifestUpdates, flushManifestUpdates } from '../manifest/deferred.js';

/** Parse and run one command line; returns the exit code. Never calls process.exit. */
export async function runCli(argv: string[], forceExit: () => void = () => undefined): Promise<number> {
  const signals = installSignalHandlers(forceExit);
  // A run's manifest entry is written when it starts and when it ends, not on every change.
  deferManifestUpdates(true);
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
    await flushPending();
    signals.dispose();
  }
}

async function flushPending(): Promise<void> {
  try {
    await flushManifestUpdates();
  } catch (err) {
    process.stderr.write(`warning: runs_manifest.json not updated: ${err instanceof Error ? err.message : String(err)}\n`);
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
    if (err.message !== '') process.stderr.write(`error: ${err.message}\n`);
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
