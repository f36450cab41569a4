/** The options of `submit`, `worker`, `cancel` and `queue status|sync|wait`, declared once. */
import { flag, list, negatable, num, numWithDefault, pairs, text } from '../../option-spec.js';
import { depthOption } from '../common-options.js';
import type { ParsedOptions } from '../../option-spec.js';

const queue = () => text('--queue <url>', 'postgres://… or redis://… (default: $RUNR_QUEUE)');

export const QUEUE_ONLY = { queue: queue() };

/** `status`, `wait`, `watch`, `follow` on a queued or remote run. */
export const QUEUE_LOOKUP = { queue: text('--queue <url>', 'a run submitted to this queue (postgres://… or redis://…; default $RUNR_QUEUE): its registry state until its record is home') };
export type QueueOnlyOptions = ParsedOptions<typeof QUEUE_ONLY>;

export const SUBMIT = {
  task: text('--task <file>', 'task file (.md), in the repository (a task run)'),
  workflow: text('--workflow <name|path>', 'a workflow run in CI mode instead (needs --slug and --artifact-path)'),
  slug: text('--slug <slug>', 'with --workflow: essay or project slug'),
  artifactPath: text('--artifact-path <path>', 'with --workflow: repository-relative artifact directory'),
  depth: depthOption(),
  param: pairs('--param <key=value...>', 'with --workflow: extra run parameters'),
  tag: pairs('--tag <key=value...>', 'with --workflow: tags for the manifest'),
  gateTimeout: numWithDefault('--gate-timeout <seconds>', 'with --workflow: how long a manual gate waits for its outputs', 3600, { min: 0 }),
  batch: list('--batch <study> <batch_id...>', 'queue every variant of a study batch instead (one run per variant)'),
  studiesDir: text('--studies-dir <dir>', 'with --batch: where studies live (default: config studies_dir, else "runs")'),
  queue: queue(),
  priority: num('--priority <n>', 'BullMQ priority (1 = highest)', { integer: true, min: 1 }),
  id: text('--id <run_id>', 'use this run id (submitting the same id twice makes one run)'),
  fast: flag('--fast', 'skip PLAN and REVIEW'),
  allowDeps: flag('--allow-deps', 'allow changes to dependency lockfiles'),
  time: num('--time <minutes>', 'time budget of each attempt', { min: 0 }),
  maxTicks: num('--max-ticks <n>', 'phase steps allowed per attempt', { integer: true, min: 1 }),
};
export type SubmitOptions = ParsedOptions<typeof SUBMIT>;

export const WORKER = {
  queue: queue(),
  concurrency: numWithDefault('--concurrency <n>', 'runs at once', 1, { integer: true, min: 1 }),
  repo: text('--repo <path|url>', 'repository to clone (default: the current repository’s origin)'),
  dir: text('--dir <dir>', 'work directory for clones and logs (default: .runr/worker/<name>)'),
  name: text('--name <id>', 'worker name (default: <host>-<pid>)'),
  drain: flag('--drain', 'on SIGTERM, finish the runs in hand (default)'),
  force: flag('--force', 'on SIGTERM, kill the runs in hand and hand them back to the queue'),
  lockDuration: numWithDefault('--lock-duration <ms>', 'BullMQ lockDuration', 30_000, { integer: true, min: 1000 }),
  stalledInterval: numWithDefault('--stalled-interval <ms>', 'BullMQ stalledInterval', 15_000, { integer: true, min: 500 }),
  heartbeat: numWithDefault('--heartbeat <ms>', 'registry heartbeat and cancel poll', 1000, { integer: true, min: 100 }),
};
export type WorkerOptions = ParsedOptions<typeof WORKER>;

export const QUEUE_WAIT = {
  queue: queue(),
  timeout: num('--timeout <s>', 'give up after this many seconds (exit 1)', { min: 0 }),
  sync: negatable('--no-sync', 'do not fetch the record'),
};
export type QueueWaitOptions = ParsedOptions<typeof QUEUE_WAIT>;
