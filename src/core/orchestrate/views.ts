/**
 * What `orchestrate status|wait|report --json` print (pure, from the record). Stable shapes,
 * documented in docs/orchestrate.md.
 */
import type { RunRecord } from '../schemas/run.js';
import type { NextAction } from '../tasks/stop-reasons.js';
import { STOP_REASONS, suggestedCommand } from '../tasks/stop-reasons.js';
import type { CollisionRecord, OrchestrationState, OrchTask, OrchTrack } from './state.js';
import { trackOutcome } from './state.js';

export interface TaskView {
  path: string;
  title: string;
  state: OrchTask['state'];
  run_id: string | null;
  stop_reason: string | null;
  detail: string | null;
  next_action: NextAction;
  suggested_command: string | null;
  waiting_on: string[] | null;
  landed_order: number | null;
}

export type TrackState = 'pending' | 'running' | 'waiting' | 'landing' | 'landed' | 'stopped';

export interface TrackView {
  id: string;
  state: TrackState;
  tasks: TaskView[];
}

export interface StatusView {
  orchestration_id: string;
  status: OrchestrationState['status'];
  phase: string | null;
  stop_reason: string | null;
  integration_branch: string;
  integration_head: string;
  policy: OrchestrationState['policy'];
  max_parallel: number;
  session: number;
  tracks: TrackView[];
  landed: number;
  tasks_total: number;
  collisions: number;
  next_action: NextAction;
  suggested_command: string | null;
}

function taskView(id: string, t: OrchTask): TaskView {
  const reason = t.stop_reason;
  const info = reason === null ? null : STOP_REASONS[reason];
  let next: NextAction = 'none';
  let cmd: string | null = null;
  if (info !== null && reason !== null && t.run_id !== null) {
    next = info.nextAction;
    cmd = info.resumable ? `runr orchestrate resume ${id}` : suggestedCommand(reason, { run_id: t.run_id });
  }
  return {
    path: t.path,
    title: t.title,
    state: t.state,
    run_id: t.run_id,
    stop_reason: reason,
    detail: t.detail,
    next_action: next,
    suggested_command: cmd,
    waiting_on: t.waiting_on,
    landed_order: t.landed?.order ?? null,
  };
}

function trackState(t: OrchTrack): TrackState {
  const o = trackOutcome(t);
  if (o !== 'active') return o;
  if (t.tasks.some((k) => k.state === 'waiting')) return 'waiting';
  if (t.tasks.some((k) => k.state === 'complete')) return 'landing';
  if (t.tasks.some((k) => k.state === 'running')) return 'running';
  return t.tasks.some((k) => k.state === 'landed') ? 'running' : 'pending';
}

export function statusView(run: RunRecord, s: OrchestrationState): StatusView {
  const tracks = s.tracks.map((t) => ({ id: t.id, state: trackState(t), tasks: t.tasks.map((k) => taskView(run.run_id, k)) }));
  const all = tracks.flatMap((t) => t.tasks);
  const resumable = s.status === 'stopped' && (s.interrupted !== null || all.some((k) => k.stop_reason !== null && STOP_REASONS[k.stop_reason as keyof typeof STOP_REASONS].resumable));
  const stuck = all.find((k) => k.next_action !== 'none' && k.next_action !== 'resume');
  return {
    orchestration_id: run.run_id,
    status: s.status,
    phase: run.phase ?? null,
    stop_reason: run.stop_reason ?? null,
    integration_branch: s.integration.branch,
    integration_head: s.integration.head,
    policy: s.policy,
    max_parallel: s.max_parallel,
    session: s.session,
    tracks,
    landed: all.filter((k) => k.state === 'landed').length,
    tasks_total: all.length,
    collisions: s.collisions.length,
    next_action: resumable ? 'resume' : s.status === 'stopped' ? (stuck?.next_action ?? 'inspect_logs') : 'none',
    suggested_command: resumable ? `runr orchestrate resume ${run.run_id}` : s.status === 'stopped' ? (stuck?.suggested_command ?? `runr orchestrate report ${run.run_id}`) : null,
  };
}

export interface ReportView extends StatusView {
  started_at: string;
  ended_at: string | null;
  duration_ms: number | null;
  /** In landing order. */
  landed_tasks: Array<{ order: number; track: string; path: string; run_id: string | null; integration_head: string }>;
  not_landed: Array<{ track: string; path: string; run_id: string | null; state: OrchTask['state']; reason: string | null; detail: string | null }>;
  predicted: CollisionRecord[];
  dry_runs: OrchestrationState['dry_runs'];
}

export function reportView(run: RunRecord, s: OrchestrationState, nowIso: string): ReportView {
  const base = statusView(run, s);
  const landed = s.tracks
    .flatMap((t) => t.tasks.map((k) => ({ t, k })))
    .filter(({ k }) => k.landed !== null)
    .map(({ t, k }) => ({ order: k.landed?.order ?? 0, track: t.id, path: k.path, run_id: k.run_id, integration_head: k.landed?.integration_head ?? '' }))
    .sort((a, b) => a.order - b.order);
  const notLanded = s.tracks.flatMap((t) => t.tasks.filter((k) => k.state !== 'landed').map((k) => ({ track: t.id, path: k.path, run_id: k.run_id, state: k.state, reason: k.stop_reason, detail: k.detail ?? (k.state === 'pending' ? 'not started' : null) })));
  const end = run.finished_at ?? null;
  const dur = Date.parse(end ?? nowIso) - Date.parse(run.started_at);
  return { ...base, started_at: run.started_at, ended_at: end, duration_ms: Number.isFinite(dur) ? dur : null, landed_tasks: landed, not_landed: notLanded, predicted: s.collisions, dry_runs: s.dry_runs };
}
