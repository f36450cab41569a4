/**
 * The CLI entry point: the only place that sets the exit code (STYLE §6).
 * Errors thrown by commands become one line (user errors) or a stack (bugs).
 */
import { ExitCode } from '../core/errors.js';
import { whenMade } from './lazy-stdio.js';
import { runCli } from './run-cli.js';
import { stopWritingDirectly, writeStdoutDirectly } from './stdout-write.js';

// `runr run show | head`: the reader went away; that is not an error.
const readerGone = () => process.exit(0);

// Each stream's listener is attached when the stream is first made, so a command that never writes
// on stderr does not pay for making it; stdout is written on its descriptor until then.
writeStdoutDirectly(readerGone);
for (const name of ['stdout', 'stderr'] as const) {
  whenMade(name, (stream) => {
    if (name === 'stdout') stopWritingDirectly();
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') readerGone();
      throw err;
    });
  });
}

// A second Ctrl-C ends the process at once, without waiting for cleanup.
const forceExit = () => process.exit(ExitCode.interrupted);

void runCli(process.argv.slice(2), forceExit).then((code) => {
  process.exitCode = code;
});
