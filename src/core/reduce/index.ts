/**
 * Folding the journal into the RUN.json snapshot. Pure: `applyEvent(run, event)` and `replay(events)`.
 * The handler table is exhaustive over the closed event union (STYLE §2).
 */
import { InternalError } from '../errors.js';
import type { EventType, JournalEvent } from '../events/index.js';
import type { RunRecord } from '../schemas/run.js';
import * as wf from './workflow.js';
import { TASK_HANDLERS } from './task.js';
import * as ops from './ops.js';
import { ORCH_HANDLERS } from './orchestration.js';
import * as pipeline from './pipeline.js';

type Handler<T extends EventType> = (run: RunRecord | null, e: Extract<JournalEvent, { type: T }>) => RunRecord;

const needRun =
  <T extends EventType>(fn: (run: RunRecord, e: Extract<JournalEvent, { type: T }>) => RunRecord): Handler<T> =>
  (run, e) => {
    if (run === null) throw new InternalError(`journal starts with ${e.type} instead of run.created`);
    return fn(run, e);
  };

const HANDLERS = {
  'run.created': wf.onRunCreated,
  'run.imported': wf.onRunImported,
  'gate.started': needRun(wf.onGateStarted),
  'gate.finished': needRun(wf.onGateFinished),
  'gate.failed': needRun(wf.onGateFailed),
  'invocation.recorded': needRun(wf.onInvocationRecorded),
  'run.completed': needRun(wf.onRunCompleted),
  ...taskHandlers(),
  'ops.started': needRun(ops.onOpsStarted),
  'ops.completed': needRun(ops.onOpsCompleted),
  ...wrapAll(ORCH_HANDLERS),
  'pipeline.started': needRun(pipeline.onPipelineStarted),
  'stage.started': needRun(pipeline.onStageStarted),
  'stage.finished': needRun(pipeline.onStageFinished),
  'pipeline.finished': needRun(pipeline.onPipelineFinished),
} satisfies { [K in EventType]: Handler<K> };

/** Handlers of a family that all need a run. */
function wrapAll<T extends Record<string, (run: RunRecord, e: never) => RunRecord>>(table: T): { [K in keyof T]: Handler<K & EventType> } {
  return Object.fromEntries(Object.entries(table).map(([k, fn]) => [k, needRun(fn as never)])) as never;
}

/** Task-run handlers (reduce/task.ts) need a run: wrap each with `needRun`. */
function taskHandlers(): { [K in keyof typeof TASK_HANDLERS]: Handler<K> } {
  return Object.fromEntries(Object.entries(TASK_HANDLERS).map(([k, fn]) => [k, needRun(fn as never)])) as never;
}

/** A deep copy that keeps what is known about the original's sections (reduce/pipeline.ts). */
function copyOf(run: RunRecord): RunRecord {
  const copy = structuredClone(run);
  pipeline.carryReducedMark(run, copy);
  return copy;
}

/** Apply one event. The input run is not mutated. */
export function applyEvent(run: RunRecord | null, event: JournalEvent): RunRecord {
  const handler = HANDLERS[event.type] as Handler<EventType>;
  const next = handler(run === null ? null : copyOf(run), event as never);
  next.journal_seq = event.seq;
  return next;
}

export function replay(events: readonly JournalEvent[]): RunRecord | null {
  let run: RunRecord | null = null;
  for (const e of events) run = applyEvent(run, e);
  return run;
}
