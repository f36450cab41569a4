import type { Register } from './command-group.js';

/**
 * A command group: the top-level commands it registers and how to load its registration. A command
 * line loads and registers only the group that owns its command (program.ts), so a command's start
 * does not build commander's tree of every other one; a line whose first word is in no group's
 * `names` (help, no command, an unknown or misspelt one, a command added without its name here)
 * registers every group, as before. `names` is checked against what each group registers
 * (test/cli/registry.test.ts).
 */
export interface CommandGroup {
  names: readonly string[];
  load: () => Promise<Register>;
}

/** Every command group; one line each. Order is the order in `runr --help`. */
export const COMMAND_GROUPS: readonly CommandGroup[] = [
  { names: ['run', 'run-workflow'], load: async () => (await import('./commands/run.js')).registerRunCommands },
  { names: ['gate'], load: async () => (await import('./commands/gate.js')).registerGateCommands },
  { names: ['invocation'], load: async () => (await import('./commands/invocation.js')).registerInvocationCommands },
  { names: ['init', 'doctor', 'audit', 'demo'], load: async () => (await import('./commands/project.js')).registerProjectCommands },
  { names: ['run-task', 'resume', 'status', 'report'], load: async () => (await import('./commands/tasks.js')).registerTaskCommands },
  { names: ['wait', 'follow', 'watch'], load: async () => (await import('./commands/supervise/index.js')).registerSuperviseCommands },
  { names: ['find', 'manifest'], load: async () => (await import('./commands/manifest.js')).registerManifestCommands },
  { names: ['ops'], load: async () => (await import('./commands/ops.js')).registerOpsCommands },
  { names: ['orchestrate'], load: async () => (await import('./commands/orchestrate/index.js')).registerOrchestrateCommands },
  { names: ['view'], load: async () => (await import('./commands/view/index.js')).registerViewCommands },
  { names: ['submit', 'worker', 'cancel', 'queue', 'queue-exec'], load: async () => (await import('./commands/queue/index.js')).registerQueueCommands },
  { names: ['study', 'batch'], load: async () => (await import('./commands/study/index.js')).registerStudyCommands },
];

/** The groups a command line needs: the one that owns its command word, else all of them. */
export function groupsFor(word: string | undefined): readonly CommandGroup[] {
  const owner = word === undefined ? undefined : COMMAND_GROUPS.find((g) => g.names.includes(word));
  return owner === undefined ? COMMAND_GROUPS : [owner];
}
