/**
 * `runr run` is three things in the seed documents: the `run start|list|show|complete` group,
 * CI mode `run <workflow> ...`, and task runs `run --task <file>`. Commander cannot express a
 * positional that competes with subcommands, so we route here before parsing.
 */
const RUN_SUBCOMMANDS = new Set(['start', 'list', 'show', 'complete', 'help']);

export function rewriteArgv(argv: string[]): string[] {
  if (argv[0] !== 'run') return argv;
  const rest = argv.slice(1);
  const first = rest[0];
  if (first !== undefined && RUN_SUBCOMMANDS.has(first)) return argv;
  if (rest.some((a) => a === '--task' || a.startsWith('--task='))) return ['run-task', ...rest];
  if (first !== undefined && !first.startsWith('-')) return ['run-workflow', ...rest];
  return argv;
}
