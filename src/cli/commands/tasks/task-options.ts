/** The options of `runr run --task`, `resume`, `status` and `report`, declared once. */
import { flag, num, requiredText, text } from '../../option-spec.js';
import type { ParsedOptions } from '../../option-spec.js';
import { LIST_FILTERS } from '../list-filters.js';
import { QUEUE_LOOKUP } from '../queue/queue-options.js';

const session = () => ({
  time: num('--time <minutes>', 'time budget for this session, minutes', { min: 0 }),
  maxTicks: num('--max-ticks <n>', 'phase steps allowed in this session', { integer: true, min: 1 }),
  /** Internal: this process is the supervisor of a detached session (docs/supervise.md); the value is its log. */
  supervised: text('--supervised <log>', 'internal: supervisor of a detached session', { hidden: true }),
});

export const RUN_TASK = {
  task: requiredText('--task <file>', 'task file (.md with Goal / Requirements / Success Criteria)'),
  worktree: flag('--worktree', 'work in an isolated worktree .runr/worktrees/<run-id> (recommended)'),
  fast: flag('--fast', 'skip PLAN and REVIEW'),
  allowDeps: flag('--allow-deps', 'allow changes to dependency lockfiles'),
  allowDirty: flag('--allow-dirty', 'work in place even though the working tree has uncommitted changes'),
  ...session(),
  detach: flag('--detach', 'run in a background supervisor and return once the run exists (the default with --json)'),
  foreground: flag('--foreground', 'run in this process until the session stops; the exit code is the outcome (the default without --json)'),
};
export type RunTaskOptions = ParsedOptions<typeof RUN_TASK>;

export const RESUME = {
  ...session(),
  reloadConfig: flag('--reload-config', 'use the current .runr/runr.config.json instead of the config the run started with'),
  allowDeps: flag('--allow-deps', 'allow dependency lockfile changes from now on (resumes a guard_violation on lockfiles alone)'),
  detach: flag('--detach', 'resume in a background supervisor and return once the session has started (the default with --json)'),
  foreground: flag('--foreground', 'resume in this process until the session stops (the default without --json)'),
};
export type ResumeOptions = ParsedOptions<typeof RESUME>;

export const STATUS = { all: flag('--all', 'list every run (newest first; narrow with --limit, --status, --since, --where)'), ...LIST_FILTERS, ...QUEUE_LOOKUP };
export type StatusOptions = ParsedOptions<typeof STATUS>;

export const REPORT = {
  kpiOnly: flag('--kpi-only', 'only the KPIs (duration, phase timings, verification attempts)'),
  html: text('--html <file>', 'also write the run as one HTML page (timeline, verifications, gates; docs/view.md)'),
};
export type ReportOptions = ParsedOptions<typeof REPORT>;
