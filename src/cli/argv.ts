/**
 * `runr run` is three things in the seed documents: the `run start|list|show|complete` group,
 * CI mode `run <workflow> ...`, and task runs `run --task <file>`. Commander cannot express a
 * positional that competes with subcommands, so we route here before parsing. Global options may
 * come first (`runr -C dir --json run --task t`), so the word `run` is looked for after them.
 */
const RUN_SUBCOMMANDS = new Set(['start', 'list', 'show', 'complete', 'help']);
/** Global options that take a value (see program.ts). */
const GLOBAL_WITH_VALUE = new Set(['-C', '--cwd', '--runs-dir']);
const GLOBAL_SWITCHES = new Set(['--json']);

/** Where the command word is: after the global options that may come first. */
function commandIndex(argv: readonly string[]): number {
  let i = 0;
  while (i < argv.length) {
    const a = argv[i] ?? '';
    if (GLOBAL_WITH_VALUE.has(a)) i += 2;
    else if (GLOBAL_SWITCHES.has(a) || a.startsWith('--cwd=') || a.startsWith('--runs-dir=')) i += 1;
    else break;
  }
  return i;
}

/** The top-level command a (rewritten) command line names, if any (`status` in `runr -C d status x`). */
export function commandWord(argv: readonly string[]): string | undefined {
  const w = argv[commandIndex(argv)];
  return w === undefined || w.startsWith('-') ? undefined : w;
}

export function rewriteArgv(argv: string[]): string[] {
  const i = commandIndex(argv);
  if (argv[i] !== 'run') return argv;
  const before = argv.slice(0, i);
  const rest = argv.slice(i + 1);
  const first = rest[0];
  if (first !== undefined && RUN_SUBCOMMANDS.has(first)) return argv;
  if (rest.some((a) => a === '--task' || a.startsWith('--task='))) return [...before, 'run-task', ...rest];
  if (first !== undefined && !first.startsWith('-')) return [...before, 'run-workflow', ...rest];
  return argv;
}
