/**
 * Where a task run lives inside RUN.json (a loose superset of the workflow record, DESIGN §4):
 *   phase, stop_reason, status, finished_at      — as for every run
 *   milestones[]                                  — the engine's milestones (public: status shows them)
 *   checkpoints[] {milestone_index, milestone, sha, at}
 *   metrics {phases, verify, ...}                 — see reduce/task.ts
 *   task {engine, info}                           — the rest of the engine state, and what task.started fixed
 * `taskStateOf`/`taskInfoOf` read them back with validation.
 */
import * as z from 'zod';
import { lazySchema } from '../lazy-schema.js';
import { InternalError } from '../errors.js';
import { TaskStartedSchema } from '../events/task.js';
import type { RunRecord } from '../schemas/run.js';
import { MilestoneSchema, TaskStateSchema } from './state.js';
import type { TaskState } from './state.js';

export const EngineRecordSchema = lazySchema(() => TaskStateSchema.omit({ milestones: true }));

/** What `task.started` (and a `--reload-config` resume) fixed for the life of the run. */
export const TaskInfoSchema = lazySchema(() => TaskStartedSchema.omit({ type: true, limits: true, milestones: true }));
export type TaskInfo = z.infer<typeof TaskInfoSchema>;

export const CheckpointRecordSchema = lazySchema(() => z.object({
  milestone_index: z.number().int().nonnegative(),
  milestone: z.string(),
  sha: z.string(),
  at: z.string(),
  reused: z.boolean(),
}));
export type CheckpointRecord = z.infer<typeof CheckpointRecordSchema>;

/**
 * KPIs for `report`: time and executions per phase, verification commands. Kept here rather than
 * in `metrics` (which the manifest indexes, one line per run) so the manifest changes only when
 * something a query cares about changes.
 */
export const KpiSchema = lazySchema(() => z.object({
  phases: z.record(z.string(), z.object({ duration_ms: z.number(), count: z.number() })),
  verify: z.object({ attempts: z.number(), retries: z.number(), total_duration_ms: z.number() }),
  worker_calls: z.number(),
}));
export type Kpi = z.infer<typeof KpiSchema>;
export const EMPTY_KPI: Kpi = { phases: {}, verify: { attempts: 0, retries: 0, total_duration_ms: 0 }, worker_calls: 0 };

/** `updated_at`: time of the last task event (a dead run ended then). */
export const TaskSectionSchema = lazySchema(() => z.object({ engine: EngineRecordSchema, info: TaskInfoSchema, kpi: KpiSchema.optional(), updated_at: z.string().optional() }));

export function kpiOf(run: RunRecord): Kpi {
  try {
    return fullSectionOf(run)?.kpi ?? EMPTY_KPI;
  } catch {
    return EMPTY_KPI;
  }
}

export function lastEventAt(run: RunRecord): string | null {
  const r = TaskSectionSchema.safeParse(run.task);
  return r.success ? (r.data.updated_at ?? null) : null;
}

export type TaskSection = z.infer<typeof TaskSectionSchema>;

const ReducerSectionSchema = lazySchema(() => z.looseObject({ engine: EngineRecordSchema, info: z.looseObject({}), kpi: KpiSchema.optional() }));

/**
 * The task section for the reducer, on every event: the engine state and KPIs are validated (decide
 * depends on them); `info` is carried through as written by `task.started` (validated there, and
 * by `taskInfoOf` wherever it is read) — re-validating the whole config on every event costs
 * milliseconds per step for nothing.
 */
export function taskSectionOf(run: RunRecord): { state: TaskState; info: TaskInfo; kpi: Kpi } | null {
  if (run.task === undefined) return null;
  const section = ReducerSectionSchema.safeParse(run.task);
  const milestones = z.array(MilestoneSchema).safeParse(run.milestones ?? []);
  if (!section.success || !milestones.success) throw new InternalError(`RUN.json of ${run.run_id}: task state does not validate`);
  return { state: { ...section.data.engine, milestones: milestones.data }, info: section.data.info as unknown as TaskInfo, kpi: section.data.kpi ?? EMPTY_KPI };
}

interface FullSection {
  state: TaskState;
  info: TaskInfo;
  kpi: Kpi;
}

/** Validated sections by record object: `status`, `report` and the handoff read the same record several times. */
const validated = new WeakMap<object, { milestones: unknown; value: FullSection }>();

function fullSectionOf(run: RunRecord): FullSection | null {
  if (run.task === null || typeof run.task !== 'object') return null;
  const key = run.task;
  const hit = validated.get(key);
  if (hit !== undefined && hit.milestones === run.milestones) return hit.value;
  const section = TaskSectionSchema.safeParse(run.task);
  const milestones = z.array(MilestoneSchema).safeParse(run.milestones ?? []);
  if (!section.success || !milestones.success) throw new InternalError(`RUN.json of ${run.run_id}: task state does not validate`);
  const value = { state: { ...section.data.engine, milestones: milestones.data }, info: section.data.info, kpi: section.data.kpi ?? EMPTY_KPI };
  validated.set(key, { milestones: run.milestones, value });
  return value;
}

export function taskStateOf(run: RunRecord): TaskState | null {
  return fullSectionOf(run)?.state ?? null;
}

export function taskInfoOf(run: RunRecord): TaskInfo {
  const full = fullSectionOf(run);
  if (full === null) throw new InternalError(`RUN.json of ${run.run_id}: no task info`);
  return full.info;
}

export function checkpointsOf(run: RunRecord): CheckpointRecord[] {
  const r = z.array(CheckpointRecordSchema).safeParse(run.checkpoints ?? []);
  return r.success ? r.data : [];
}
