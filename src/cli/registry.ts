import type { Register } from './command-group.js';

import { registerRunCommands } from './commands/run.js';
import { registerGateCommands } from './commands/gate.js';
import { registerInvocationCommands } from './commands/invocation.js';
import { registerProjectCommands } from './commands/project.js';
import { registerTaskCommands } from './commands/tasks.js';
import { registerManifestCommands } from './commands/manifest.js';
import { registerOpsCommands } from './commands/ops.js';
import { registerSuperviseCommands } from './commands/supervise/index.js';
import { registerOrchestrateCommands } from './commands/orchestrate/index.js';
import { registerViewCommands } from './commands/view/index.js';
import { registerQueueCommands } from './commands/queue/index.js';
import { registerStudyCommands } from './commands/study/index.js';

/** Every command group; one line each. Order is the order in `runr --help`. */
export const COMMAND_GROUPS: Register[] = [
  registerRunCommands,
  registerGateCommands,
  registerInvocationCommands,
  registerProjectCommands,
  registerTaskCommands,
  registerSuperviseCommands,
  registerManifestCommands,
  registerOpsCommands,
  registerOrchestrateCommands,
  registerViewCommands,
  registerQueueCommands,
  registerStudyCommands,
];
