import { Command, Option } from 'commander';
import { COMMAND_GROUPS } from './registry.js';
import { VERSION } from '../core/version.js';

/**
 * Builds the commander program. Registration is cheap (no command implementation is imported
 * here); each action imports its implementation lazily so `runr --version` stays fast.
 */
export function buildProgram(signal: AbortSignal): Command {
  const program = new Command('runr')
    .description('Durable, verifiable runs: workflow gates, agent task runs, benchmark ops, a git-tracked manifest.')
    .version(VERSION, '-V, --version')
    .addOption(new Option('-C, --cwd <dir>', 'run as if started in <dir>'))
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeErr: (s) => process.stderr.write(s),
      outputError: (s, write) => write(s.startsWith('error:') ? s : `error: ${s}`),
    });
  for (const register of COMMAND_GROUPS) register(program, { signal });
  applyExitOverride(program);
  return program;
}

function applyExitOverride(cmd: Command): void {
  for (const sub of cmd.commands) {
    sub.exitOverride();
    sub.configureOutput({ writeErr: (s) => process.stderr.write(s) });
    applyExitOverride(sub);
  }
}
