import { Command, Help, Option } from 'commander';
import { groupsFor } from './registry.js';
import { VERSION } from '../core/version.js';

/** Hidden commands that users type as `runr run …` (see argv.ts): their usage shows that name. */
const TYPED_AS: Record<string, string> = { 'run-task': 'run', 'run-workflow': 'run' };

class RunrHelp extends Help {
  override commandUsage(cmd: Command): string {
    const typed = TYPED_AS[cmd.name()];
    if (typed === undefined) return super.commandUsage(cmd);
    const parent = cmd.parent?.name() ?? 'runr';
    return `${parent} ${typed} ${cmd.usage()}`;
  }
}

/**
 * Builds the commander program for one command line: only the group that owns its command word is
 * loaded and registered (registry.ts), all of them for help or an unknown word. Each action imports
 * its implementation lazily so `runr --version` stays fast.
 * Global options (`-C`, `--json`, `--runs-dir`) live on the program only, and commander accepts
 * them before or after the subcommand; `--help` of every command lists them.
 */
export async function buildProgram(signal: AbortSignal, word: string | undefined): Promise<Command> {
  const program = new Command('runr');
  program.createHelp = () => Object.assign(new RunrHelp(), program.configureHelp());
  program
    .description('Durable, verifiable runs: workflow gates, agent task runs, benchmark ops, a git-tracked manifest.')
    .version(VERSION, '-V, --version')
    .addOption(new Option('-C, --cwd <dir>', 'run as if started in <dir>'))
    .addOption(new Option('--json', 'print JSON on stdout (one object, or one per line for streams; errors too)'))
    .addOption(new Option('--runs-dir <dir>', 'runs directory (default from config runs_dir: .runr/runs)'))
    .configureHelp({ showGlobalOptions: true })
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeErr: (s) => process.stderr.write(s),
      outputError: (s, write) => write(s.startsWith('error:') ? s : `error: ${s}`),
    });
  const registers = await Promise.all(groupsFor(word).map((g) => g.load()));
  for (const register of registers) register(program, { signal });
  applyInherited(program);
  program.hook('preAction', async (_root, action) => {
    const { warnAboutRunsDir } = await import('./runs-dir-warning.js');
    await warnAboutRunsDir(program, action);
  });
  return program;
}

function applyInherited(cmd: Command): void {
  for (const sub of cmd.commands) {
    sub.exitOverride();
    sub.configureOutput({ writeErr: (s) => process.stderr.write(s) });
    sub.createHelp = () => cmd.createHelp();
    sub.configureHelp({ showGlobalOptions: true });
    applyInherited(sub);
  }
}
