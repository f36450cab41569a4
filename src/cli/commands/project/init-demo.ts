/** `runr init --demo [--dir <dir>]`: build the task-run demo repository and say what to try. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CliContext } from '../../context.js';
import { emit } from '../../context.js';
import type { InitOptions } from './project-options.js';
import { UserError } from '../../../core/errors.js';
import { createTaskDemoRepo } from '../../../tasks/init/write.js';

export function initDemo(ctx: CliContext, opts: InitOptions): void {
  const dirOpt = opts.dir;
  let dir: string;
  if (dirOpt !== undefined) {
    dir = path.resolve(ctx.cwd, dirOpt);
    if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) throw new UserError(`--dir: ${dirOpt} exists and is not empty`);
  } else {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runr-task-demo-'));
  }
  const demo = createTaskDemoRepo(dir);
  emit(ctx, { dir: demo.dir, tasks: demo.tasks }, () => [
    `Created a task-run demo repository in ${demo.dir}`,
    '  a small TypeScript project, verification that needs nothing installed, a scripted worker, three tasks:',
    ...demo.tasks.map((t) => `    ${t}`),
    '',
    `cd ${demo.dir}`,
    'runr run --task .runr/tasks/01-add-farewell.md --worktree      # completes: 2 checkpoint commits',
    'runr run --task .runr/tasks/02-shout.md --worktree             # stops: verification_failed_max_retries',
    'runr resume latest                                             # re-verifies, retries, completes',
    'runr run --task .runr/tasks/03-add-dependency.md --worktree    # stops: guard_violation (lockfile)',
  ]);
}
