/**
 * How `task.*` events change RUN.json (pure). The engine state is advanced with the same `decide`
 * the shell used, so a replayed journal lands exactly where the run was. Metrics:
 *   phases.<P> {duration_ms, count}  time spent in each phase (measured by the shell), executions
 *   verify {attempts, retries, total_duration_ms}  attempts = commands run; retries = VERIFY rounds
 *                                    that followed a failed round of the same milestone
 *   total_tokens_in/out, cost_usd    when workers report usage
 *   milestones_total/completed, verification_failures, worker_calls
 */
import type { EventOf, EventType } from '../events/index.js';
import type { TaskEvent } from '../events/task.js';
import type { LegacyEvent, RunRecord } from '../schemas/run.js';
// eslint-disable-next-line no-restricted-imports -- ../tasks here is src/core/tasks (pure core), not the src/tasks shell the rule targets
import { decide } from '../tasks/decide.js';
// eslint-disable-next-line no-restricted-imports -- ../tasks here is src/core/tasks (pure core), not the src/tasks shell the rule targets
import type { WorkPhase } from '../tasks/phases.js';
// eslint-disable-next-line no-restricted-imports -- ../tasks here is src/core/tasks (pure core), not the src/tasks shell the rule targets
import { checkpointsOf, taskInfoOf, taskStateOf } from '../tasks/record.js';
// eslint-disable-next-line no-restricted-imports -- ../tasks here is src/core/tasks (pure core), not the src/tasks shell the rule targets
import type { TaskInfo } from '../tasks/record.js';
// eslint-disable-next-line no-restricted-imports -- ../tasks here is src/core/tasks (pure core), not the src/tasks shell the rule targets
import type { TaskState } from '../tasks/state.js';

type Ts = { ts: string; seq: number };
type TaskEventType = Extract<EventType, `task.${string}`>;

interface PhaseMetric {
  duration_ms: number;
  count: number;
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

function phaseMetrics(run: RunRecord): Record<string, PhaseMetric> {
  const raw = (run.metrics?.phases ?? {}) as Record<string, { duration_ms?: unknown; count?: unknown }>;
  const out: Record<string, PhaseMetric> = {};
  for (const [k, v] of Object.entries(raw)) out[k] = { duration_ms: num(v.duration_ms), count: num(v.count) };
  return out;
}

function addPhase(run: RunRecord, phase: WorkPhase, durationMs: number): void {
  const phases = phaseMetrics(run);
  const cur = phases[phase] ?? { duration_ms: 0, count: 0 };
  phases[phase] = { duration_ms: cur.duration_ms + Math.round(durationMs), count: cur.count + 1 };
  run.metrics = { ...run.metrics, phases };
}

function addUsage(run: RunRecord, u: { tokens_in: number; tokens_out: number; cost_usd?: number } | undefined): void {
  const m = run.metrics ?? {};
  run.metrics = { ...m, worker_calls: num(m.worker_calls) + 1 };
  if (u === undefined) return;
  run.metrics = {
    ...run.metrics,
    total_tokens_in: num(m.total_tokens_in) + u.tokens_in,
    total_tokens_out: num(m.total_tokens_out) + u.tokens_out,
    ...(u.cost_usd !== undefined ? { cost_usd: num(m.cost_usd) + u.cost_usd } : {}),
  };
}

function log(run: RunRecord, e: LegacyEvent): void {
  run.events.push(e);
}

/** Write the engine state back into the record, with the fields every run has. */
function store(run: RunRecord, s: TaskState, info: TaskInfo, ts: string): void {
  const { milestones, ...engine } = s;
  run.task = { engine, info, updated_at: ts };
  run.milestones = milestones;
  run.phase = s.phase;
  run.stop_reason = s.stop_reason;
  const completed = milestones.filter((m) => m.status === 'complete').length;
  const failures = milestones.reduce((n, m) => n + m.verify_failures_total, 0);
  run.metrics = { ...run.metrics, milestones_total: milestones.length, milestones_completed: completed, verification_failures: failures };
  if (s.phase === 'STOPPED') {
    run.status = s.stop_reason === 'complete' ? 'PASSED' : 'STOPPED';
    run.finished_at = ts;
  } else {
    run.status = 'RUNNING';
    run.finished_at = null;
  }
}

function advance(run: RunRecord, e: TaskEvent & Ts): TaskState {
  const before = taskStateOf(run);
  const { next } = decide(before, e);
  const wasStopped = before?.phase === 'STOPPED';
  store(run, next, e.type === 'task.started' ? infoFromStarted(e) : taskInfoOf(run), e.ts);
  if (next.phase === 'STOPPED' && !wasStopped) {
    log(run, { timestamp: e.ts, type: 'TASK_STOPPED', stop_reason: next.stop_reason, message: `Task ${next.stop_reason === 'complete' ? 'completed' : `stopped: ${next.stop_reason}`}` });
  }
  return next;
}

function infoFromStarted(e: EventOf<'task.started'>): TaskInfo {
  return { task: e.task, fast: e.fast, options: e.options, config: e.config, workers: e.workers, git: e.git, baseline_dirty: e.baseline_dirty };
}

export function onTaskStarted(run: RunRecord, e: EventOf<'task.started'> & Ts): RunRecord {
  run.kind = 'task';
  run.params = { ...run.params, task: e.task.file, title: e.task.title, fast: e.fast, ...e.options };
  run.git = { ...e.git };
  run.metrics = { ...run.metrics, phases: {}, verify: { attempts: 0, retries: 0, total_duration_ms: 0 } };
  run.checkpoints = [];
  log(run, { timestamp: e.ts, type: 'TASK_STARTED', message: `Task ${e.task.title} started on branch ${e.git.branch}` });
  advance(run, e);
  return run;
}

export function onTaskPlanned(run: RunRecord, e: EventOf<'task.planned'> & Ts): RunRecord {
  addPhase(run, 'PLAN', e.duration_ms);
  addUsage(run, e.usage);
  advance(run, e);
  return run;
}

export function onTaskImplemented(run: RunRecord, e: EventOf<'task.implemented'> & Ts): RunRecord {
  addPhase(run, 'IMPLEMENT', e.duration_ms);
  addUsage(run, e.usage);
  advance(run, e);
  return run;
}

export function onTaskVerified(run: RunRecord, e: EventOf<'task.verified'> & Ts): RunRecord {
  const before = taskStateOf(run);
  const m = before?.milestones[e.milestone_index];
  const isRetry = m !== undefined && m.verify_failures_total > 0;
  const v = (run.metrics?.verify ?? {}) as Record<string, unknown>;
  addPhase(run, 'VERIFY', e.duration_ms);
  run.metrics = {
    ...run.metrics,
    verify: {
      attempts: num(v.attempts) + e.commands.length,
      retries: num(v.retries) + (isRetry ? 1 : 0),
      total_duration_ms: num(v.total_duration_ms) + Math.round(e.duration_ms),
    },
  };
  advance(run, e);
  return run;
}

export function onTaskReviewed(run: RunRecord, e: EventOf<'task.reviewed'> & Ts): RunRecord {
  addPhase(run, 'REVIEW', e.duration_ms);
  addUsage(run, e.usage);
  advance(run, e);
  return run;
}

export function onTaskCheckpointed(run: RunRecord, e: EventOf<'task.checkpointed'> & Ts): RunRecord {
  addPhase(run, 'CHECKPOINT', e.duration_ms);
  const before = taskStateOf(run);
  const next = advance(run, e);
  if (e.sha !== null) {
    const m = before?.milestones[e.milestone_index];
    run.checkpoints = [...checkpointsOf(run), { milestone_index: e.milestone_index, milestone: m?.id ?? `m${e.milestone_index + 1}`, sha: e.sha, at: e.ts, reused: e.reused }];
    log(run, { timestamp: e.ts, type: 'CHECKPOINT', milestone: m?.id ?? '', sha: e.sha, message: `Checkpoint ${e.sha.slice(0, 12)} for ${m?.id ?? ''} (${next.milestones.filter((x) => x.status === 'complete').length}/${next.milestones.length})` });
  }
  return run;
}

export function onTaskStopped(run: RunRecord, e: EventOf<'task.stopped'> & Ts): RunRecord {
  if (e.phase !== null && e.phase !== 'STOPPED' && e.duration_ms !== null) addPhase(run, e.phase, e.duration_ms);
  advance(run, e);
  return run;
}

export function onTaskResumed(run: RunRecord, e: EventOf<'task.resumed'> & Ts): RunRecord {
  if (e.config !== undefined) {
    const section = run.task as { engine: unknown; info: TaskInfo; updated_at?: string };
    run.task = { ...section, info: { ...section.info, config: e.config } };
  }
  run.params = { ...run.params, time_budget_min: e.time_budget_min };
  const next = advance(run, e);
  log(run, { timestamp: e.ts, type: 'TASK_RESUMED', session: next.session, message: `Task resumed (session ${next.session}) in ${next.phase}` });
  return run;
}

export const TASK_HANDLERS = {
  'task.started': onTaskStarted,
  'task.planned': onTaskPlanned,
  'task.implemented': onTaskImplemented,
  'task.verified': onTaskVerified,
  'task.reviewed': onTaskReviewed,
  'task.checkpointed': onTaskCheckpointed,
  'task.stopped': onTaskStopped,
  'task.resumed': onTaskResumed,
} satisfies { [K in TaskEventType]: (run: RunRecord, e: EventOf<K> & Ts) => RunRecord };
