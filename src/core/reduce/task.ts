/**
 * How `task.*` events change RUN.json (pure). The engine state is advanced with the same `decide`
 * the shell used, so a replayed journal lands exactly where the run was.
 *   task.kpi.phases.<P> {duration_ms, count}  time in each phase (measured by the shell), executions
 *   task.kpi.verify {attempts, retries, total_duration_ms}  attempts = verification commands run;
 *                   retries = VERIFY rounds that followed a failed round of the same milestone
 *   metrics {milestones_total, milestones_completed, verification_failures, total_tokens_in/out,
 *            cost_usd}  — the small set the manifest indexes
 */
import { InternalError } from '../errors.js';
import type { EventOf, EventType } from '../events/index.js';
import type { TaskEvent } from '../events/task.js';
import type { LegacyEvent, RunRecord } from '../schemas/run.js';
import { decide } from '../tasks/decide.js';
import type { WorkPhase } from '../tasks/phases.js';
import { checkpointsOf, EMPTY_KPI, taskInfoOf, taskSectionOf } from '../tasks/record.js';
import type { Kpi, TaskInfo } from '../tasks/record.js';
import type { TaskState } from '../tasks/state.js';

type Ts = { ts: string; seq: number };
type TaskEventType = Extract<EventType, `task.${string}`>;
type Usage = { tokens_in: number; tokens_out: number; cost_usd?: number } | undefined;

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

function log(run: RunRecord, e: LegacyEvent): void {
  run.events.push(e);
}

function withPhase(kpi: Kpi, phase: WorkPhase, durationMs: number): Kpi {
  const cur = kpi.phases[phase] ?? { duration_ms: 0, count: 0 };
  return { ...kpi, phases: { ...kpi.phases, [phase]: { duration_ms: cur.duration_ms + Math.round(durationMs), count: cur.count + 1 } } };
}

function withUsage(run: RunRecord, u: Usage): void {
  if (u === undefined) return;
  const m = run.metrics ?? {};
  run.metrics = {
    ...m,
    total_tokens_in: num(m.total_tokens_in) + u.tokens_in,
    total_tokens_out: num(m.total_tokens_out) + u.tokens_out,
    ...(u.cost_usd !== undefined ? { cost_usd: num(m.cost_usd) + u.cost_usd } : {}),
  };
}

/** Write the engine state back into the record, with the fields every run has. */
function store(run: RunRecord, s: TaskState, info: TaskInfo, kpi: Kpi, ts: string): void {
  const { milestones, ...engine } = s;
  run.task = { engine, info, kpi, updated_at: ts };
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

/** Advance the engine with `e`; `kpi` updates the KPIs from the state before the event. */
function advance(run: RunRecord, e: TaskEvent & Ts, kpi: (k: Kpi, before: TaskState | null) => Kpi = (k) => k, info?: TaskInfo): TaskState {
  const section = e.type === 'task.started' ? null : taskSectionOf(run);
  const before = section?.state ?? null;
  const { next } = decide(before, e);
  const current = info ?? section?.info;
  if (current === undefined) throw new InternalError(`${e.type} on a run without task info`);
  store(run, next, current, kpi(section?.kpi ?? EMPTY_KPI, before), e.ts);
  if (next.phase === 'STOPPED' && before?.phase !== 'STOPPED') {
    log(run, { timestamp: e.ts, type: 'TASK_STOPPED', stop_reason: next.stop_reason, message: `Task ${next.stop_reason === 'complete' ? 'completed' : `stopped: ${next.stop_reason}`}` });
  }
  return next;
}

export function onTaskStarted(run: RunRecord, e: EventOf<'task.started'> & Ts): RunRecord {
  run.kind = 'task';
  run.params = { ...run.params, task: e.task.file, title: e.task.title, fast: e.fast, ...e.options };
  run.git = { ...e.git };
  run.checkpoints = [];
  log(run, { timestamp: e.ts, type: 'TASK_STARTED', message: `Task ${e.task.title} started on branch ${e.git.branch}` });
  const info: TaskInfo = { task: e.task, fast: e.fast, options: e.options, config: e.config, workers: e.workers, git: e.git, baseline_dirty: e.baseline_dirty };
  advance(run, e, undefined, info);
  return run;
}

const workerKpi = (phase: WorkPhase, durationMs: number) => (k: Kpi) => ({ ...withPhase(k, phase, durationMs), worker_calls: k.worker_calls + 1 });

export function onTaskPlanned(run: RunRecord, e: EventOf<'task.planned'> & Ts): RunRecord {
  withUsage(run, e.usage);
  advance(run, e, workerKpi('PLAN', e.duration_ms));
  return run;
}

export function onTaskImplemented(run: RunRecord, e: EventOf<'task.implemented'> & Ts): RunRecord {
  withUsage(run, e.usage);
  advance(run, e, workerKpi('IMPLEMENT', e.duration_ms));
  return run;
}

export function onTaskVerified(run: RunRecord, e: EventOf<'task.verified'> & Ts): RunRecord {
  advance(run, e, (k, before) => {
    const m = before?.milestones[e.milestone_index];
    const isRetry = m !== undefined && m.verify_failures_total > 0;
    const next = withPhase(k, 'VERIFY', e.duration_ms);
    return {
      ...next,
      verify: {
        attempts: k.verify.attempts + e.commands.length,
        retries: k.verify.retries + (isRetry ? 1 : 0),
        total_duration_ms: k.verify.total_duration_ms + Math.round(e.duration_ms),
      },
    };
  });
  return run;
}

export function onTaskReviewed(run: RunRecord, e: EventOf<'task.reviewed'> & Ts): RunRecord {
  withUsage(run, e.usage);
  advance(run, e, workerKpi('REVIEW', e.duration_ms));
  return run;
}

export function onTaskCheckpointed(run: RunRecord, e: EventOf<'task.checkpointed'> & Ts): RunRecord {
  const next = advance(run, e, (k) => withPhase(k, 'CHECKPOINT', e.duration_ms));
  if (e.sha !== null) {
    const id = next.milestones[e.milestone_index]?.id ?? `m${e.milestone_index + 1}`;
    run.checkpoints = [...checkpointsOf(run), { milestone_index: e.milestone_index, milestone: id, sha: e.sha, at: e.ts, reused: e.reused }];
    const done = next.milestones.filter((x) => x.status === 'complete').length;
    log(run, { timestamp: e.ts, type: 'CHECKPOINT', milestone: id, sha: e.sha, message: `Checkpoint ${e.sha.slice(0, 12)} for ${id} (${done}/${next.milestones.length})` });
  }
  return run;
}

export function onTaskStopped(run: RunRecord, e: EventOf<'task.stopped'> & Ts): RunRecord {
  const phase = e.phase;
  advance(run, e, (k) => (phase !== null && phase !== 'STOPPED' && e.duration_ms !== null ? withPhase(k, phase, e.duration_ms) : k));
  return run;
}

export function onTaskResumed(run: RunRecord, e: EventOf<'task.resumed'> & Ts): RunRecord {
  const info = taskInfoOf(run);
  run.params = { ...run.params, time_budget_min: e.time_budget_min };
  let updated = e.config !== undefined ? { ...info, config: e.config } : info;
  if (e.allow_deps === true) updated = { ...updated, options: { ...updated.options, allow_deps: true } };
  const next = advance(run, e, undefined, updated);
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
