/** The options of `runr orchestrate run|status|report|wait|follow|resume`, declared once. */
import type { CollisionPolicy } from '../../../core/orchestrate/policy.js';
import type { WaitCondition } from '../../../orchestrate/wait.js';
import { choice, flag, num, requiredText, text } from '../../option-spec.js';
import type { ParsedOptions } from '../../option-spec.js';

// Spelled out here (type-checked against the families' unions) so that registering the commands
// loads neither zod nor the wait machinery: start-up time.
const POLICIES = ['serialize', 'fail', 'force'] as const satisfies readonly CollisionPolicy[];
const CONDITIONS = ['terminal', 'complete', 'stop'] as const satisfies readonly WaitCondition[];

export const ORCH_RUN = {
  config: requiredText('--config <file>', 'tracks file: tracks: [{id, tasks: [{path}]}]'),
  worktree: flag('--worktree', 'run every task in its own worktree (always the case; accepted for the operator guide)'),
  collisionPolicy: choice('--collision-policy <policy>', 'what a predicted collision does to the later track', POLICIES, 'serialize'),
  maxParallel: num('--max-parallel <n>', 'tracks running at once (default: the number of tracks)', { integer: true, min: 1 }),
  integrate: text('--integrate <branch>', 'integration branch the merge queue lands on (default runr/orch/<id>; never your checked-out branch)'),
  fast: flag('--fast', 'run every task with --fast (no PLAN, no REVIEW)'),
  allowDeps: flag('--allow-deps', 'allow dependency lockfile changes in every task'),
  foreground: flag('--foreground', 'drive the orchestration in this process until it ends (exit 0 all landed, 3 stopped)'),
};
export type OrchRunOptions = ParsedOptions<typeof ORCH_RUN>;

export const ORCH_ID = {};

export const ORCH_WAIT = {
  for: choice('--for <condition>', 'terminal | complete | stop', CONDITIONS, 'terminal'),
  timeout: num('--timeout <seconds>', 'give up after this long (exit 124)', { min: 0 }),
};
export type OrchWaitOptions = ParsedOptions<typeof ORCH_WAIT>;

export const ORCH_RESUME = {
  foreground: flag('--foreground', 'drive it in this process until it ends'),
};
export type OrchResumeOptions = ParsedOptions<typeof ORCH_RESUME>;
