/**
 * How pipeline events change RUN.json (pure). The run keeps a `pipeline` section: the variant,
 * the last execution's outcome, and per stage its last status, cache key, output hashes, checks,
 * metrics and how many executions in a row it failed (`fail_streak`, for escalation). Stage
 * metrics are also merged into `metrics` so `runr find "metrics.adoption_rate > 0.3"` works.
 */
import type { EventOf } from '../events/index.js';
import type { RunRecord, RunStatus } from '../schemas/run.js';
import type { VariantOutcome } from '../events/pipeline.js';
import { assertNever } from '../errors.js';
import type { PipelineSection, StageSection } from '../studies/run-section.js';
import { isReduced, markReduced, parsePipelineSection } from '../studies/run-section.js';

type Ts = { ts: string; seq: number };

/**
 * `copy` is a deep copy of `run` (applyEvent's): when run's section came from this reducer, so
 * does the copy's, which then needs no schema check either (one check per run read from disk, not
 * one per event).
 */
export function carryReducedMark(run: RunRecord, copy: RunRecord): void {
  const from = (run as Record<string, unknown>).pipeline;
  const to = (copy as Record<string, unknown>).pipeline;
  if (isReduced(from) && typeof to === 'object' && to !== null) markReduced(to as PipelineSection);
}

/** The run's section to change: the run is the reducer's own copy, so a section it produced is used as is. */
function section(run: RunRecord): PipelineSection {
  const own = (run as Record<string, unknown>).pipeline;
  if (isReduced(own)) return own;
  return parsePipelineSection(run) ?? { study: '', batch: '', variant: '', seed: 0, execution: 0, outcome: null, running: false, escalated: null, stages: {} };
}

function put(run: RunRecord, s: PipelineSection): RunRecord {
  (run as Record<string, unknown>).pipeline = markReduced(s);
  return run;
}

export function onPipelineStarted(run: RunRecord, e: EventOf<'pipeline.started'> & Ts): RunRecord {
  const s = section(run);
  s.study = e.study;
  s.batch = e.batch;
  s.variant = e.variant;
  s.seed = e.seed;
  s.execution = e.execution;
  s.running = true;
  s.escalated = null;
  run.status = 'RUNNING';
  run.finished_at = null;
  run.stop_reason = null;
  run.phase = null;
  run.events.push({ timestamp: e.ts, type: 'PIPELINE_STARTED', message: `execution ${e.execution}${e.resumed.length > 0 ? `, resuming ${e.resumed.join(', ')}` : ''}` });
  return put(run, s);
}

export function onStageStarted(run: RunRecord, e: EventOf<'stage.started'> & Ts): RunRecord {
  const s = section(run);
  const prev: StageSection | undefined = s.stages[e.stage];
  s.stages[e.stage] = {
    status: 'RUNNING',
    key: e.key,
    outs: prev?.outs ?? {},
    execution: e.execution,
    attempts: (prev?.attempts ?? 0) + 1,
    started_at: e.ts,
    finished_at: null,
    failure_reason: null,
    checks: [],
    metrics: prev?.metrics ?? {},
    fail_streak: prev?.fail_streak ?? 0,
    log: prev?.log ?? null,
  };
  run.phase = e.stage;
  return put(run, s);
}

export function onStageFinished(run: RunRecord, e: EventOf<'stage.finished'> & Ts): RunRecord {
  const s = section(run);
  const prev = s.stages[e.stage];
  s.stages[e.stage] = {
    status: e.status,
    key: e.key,
    outs: e.outs,
    execution: e.execution,
    attempts: prev?.attempts ?? 1,
    started_at: prev?.started_at ?? e.ts,
    finished_at: e.ts,
    failure_reason: e.failure_reason,
    checks: e.checks,
    metrics: e.metrics,
    fail_streak: e.status === 'FAIL' ? (prev?.fail_streak ?? 0) + 1 : 0,
    log: e.log,
  };
  run.metrics = { ...(run.metrics ?? {}), ...e.metrics };
  run.events.push({ timestamp: e.ts, type: 'STAGE_FINISHED', status: e.status, message: `${e.stage}: ${e.status}${e.failure_reason !== null ? ` (${e.failure_reason})` : ''}` });
  return put(run, s);
}

function statusOf(o: VariantOutcome): RunStatus {
  switch (o) {
    case 'success':
      return 'PASSED';
    case 'failed':
    case 'escalated':
      return 'FAILED';
    case 'canceled':
      return 'CANCELED';
    default:
      return assertNever(o, 'variant outcome');
  }
}

export function onPipelineFinished(run: RunRecord, e: EventOf<'pipeline.finished'> & Ts): RunRecord {
  const s = section(run);
  s.outcome = e.outcome;
  s.running = false;
  s.escalated = e.escalated;
  run.status = statusOf(e.outcome);
  run.finished_at = e.ts;
  run.phase = null;
  run.stop_reason = e.outcome === 'success' ? null : e.outcome === 'failed' ? 'stage_failed' : e.outcome === 'escalated' ? 'escalated' : 'interrupted';
  const statuses = Object.values(s.stages).map((x) => x.status);
  run.verification_status = statuses.includes('FAIL') ? 'FAIL' : statuses.includes('WARN') ? 'WARN' : 'PASS';
  run.metrics = { ...(run.metrics ?? {}), stages_ran: e.ran.length, stages_skipped: e.skipped.length, stages_blocked: e.blocked.length, executions: e.execution };
  run.events.push({ timestamp: e.ts, type: 'PIPELINE_FINISHED', status: e.outcome, message: e.notes });
  return put(run, s);
}
