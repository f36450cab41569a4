/**
 * The CLI entry point: the only place that sets the exit code (STYLE §6).
 * Errors thrown by commands become one line (user errors) or a stack (bugs).
 */
import { ExitCode } from '../core/errors.js';
import { runCli } from './run-cli.js';

// `runr run show | head`: the reader went away; that is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

// A second Ctrl-C ends the process at once, without waiting for cleanup.
const forceExit = () => process.exit(ExitCode.interrupted);

void runCli(process.argv.slice(2), forceExit).then((code) => {
  process.exitCode = code;
});
