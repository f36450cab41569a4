/**
 * The CLI entry point: the only place that sets the exit code (STYLE §6).
 * Errors thrown by commands become one line (user errors) or a stack (bugs).
 */
import { runCli } from './run-cli.js';

const code = await runCli(process.argv.slice(2));
process.exitCode = code;
