import { CommanderError } from 'commander';
import { ExitCode, RunrError, ValidationError } from '../core/errors.js';
import type { ErrorCode } from '../core/errors.js';
import { escapeControl } from '../core/one-line.js';
import { QuerySyntaxError } from '../core/query/errors.js';
import { resetStdoutWritten, stdoutWritten } from './context.js';
import { buildProgram } from './program.js';
import { writeStdout } from './stdout-write.js';
import { installSignalHandlers } from './signals.js';
import { commandWord, rewriteArgv } from './argv.js';
import { deferManifestUpdates, flushManifestUpdates } from '../manifest/deferred.js';
import { settleBackground } from '../store/background.js';

/** Parse and run one command line; returns the exit code. Never calls process.exit. */
export async function runCli(argv: string[], forceExit: () => void = () => undefined): Promise<number> {
  resetStdoutWritten();
  const signals = installSignalHandlers(forceExit);
  // A run's manifest entry is written when it starts and when it ends, not on every change.
  deferManifestUpdates(true);
  try {
    const args = rewriteArgv(argv);
    const program = await buildProgram(signals.signal, commandWord(args));
    // Commands that do real work load zod anyway; --version and --help should not.
    if (!argv.some((a) => a === '-V' || a === '--version' || a === '-h' || a === '--help') && argv.length > 0) {
      const { configureZodForCli } = await import('./zod-cli.js');
      configureZodForCli();
    }
    await program.parseAsync(args, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (err) {
    return reportError(err, signals.signal.aborted, { json: wantsJson(argv) });
  } finally {
    await flushPending();
    signals.dispose();
  }
}

async function flushPending(): Promise<void> {
  // A reader's repair of a finished run notes its manifest entry in the background (store/repair-finished.ts).
  await settleBackground();
  try {
    await flushManifestUpdates();
  } catch (err) {
    process.stderr.write(`warning: runs_manifest.json not updated: ${err instanceof Error ? err.message : String(err)}\n`);
  }
}

/** `--json` anywhere before a `--` (every command has it; commander may not have parsed it yet). */
export function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

/** The `{"error": {...}}` object printed on stdout under `--json` (docs/cli.md). */
export interface ErrorObject {
  error: { code: ErrorCode; message: string; file: string | null; field: string | null };
}

function printErrorObject(opts: { json: boolean }, code: ErrorCode, message: string, file: string | null = null, field: string | null = null): void {
  // A command that already printed its result (a failed gate, a stopped run) has said everything.
  if (!opts.json || stdoutWritten()) return;
  const obj: ErrorObject = { error: { code, message, file, field } };
  writeStdout(`${JSON.stringify(obj)}\n`);
}

/**
 * The one error handler: a human line on stderr (as always) and, under `--json`, one error object
 * on stdout, so `runr status x --json | jq .stop_reason` never reads an empty stream. The exit code
 * does not depend on `--json`.
 */
export function reportError(err: unknown, interrupted: boolean, opts: { json: boolean } = { json: false }): number {
  if (err instanceof CommanderError) {
    // Help and version are "errors" to commander; they have already been printed.
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') {
      return ExitCode.ok;
    }
    printErrorObject(opts, 'usage', err.message.replace(/^error: /, ''));
    return ExitCode.invalid;
  }
  if (err instanceof RunrError) {
    if (err.message !== '') {
      // One line, control characters escaped; a query error alone adds its caret lines.
      const lines = err instanceof QuerySyntaxError ? err.message.split('\n') : [err.message];
      process.stderr.write(`error: ${lines.map(escapeControl).join('\n')}\n`);
      if (err instanceof ValidationError) printErrorObject(opts, err.errorCode, err.message, err.file, err.field === '' ? null : err.field);
      else printErrorObject(opts, err.errorCode, err.message);
    }
    return err.exitCode;
  }
  if (interrupted) {
    process.stderr.write('interrupted\n');
    printErrorObject(opts, 'interrupted', 'interrupted');
    return ExitCode.interrupted;
  }
  const stack = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(
    `internal error (this is a bug in runr; please report it with the lines below)\n${stack}\n`,
  );
  printErrorObject(opts, 'internal', `internal error (a bug in runr): ${err instanceof Error ? err.message : String(err)}`);
  return ExitCode.internal;
}
