/**
 * How `orch.*` events change RUN.json (pure): the `orchestration` section (orchestrate/state.ts),
 * status, phase, stop_reason, and a few metrics the manifest indexes.
 */
import { InternalError } from '../errors.js';
import type { OrchEvent, OrchEventOf, OrchEventType } from '../events/orchestration.js';
import type { OrchestrationState, OrchTask } from '../orchestrate/state.js';
import { orchestrationOf, trackOutcome } from '../orchestrate/state.js';
import type { RunRecord } from '../schemas/run.js';

type Ts = { ts: string; seq: number };
const MAX_COLLISIONS = 200;

function stateOf(run: RunRecord, type: string): OrchestrationState {
  const s = orchestrationOf(run);
  if (s === null) throw new InternalError(`${type} before orch.started`);
  return s;
}

function task(s: OrchestrationState, track: string, index: number, type: string): OrchTask {
  const t = s.tracks.find((k) => k.id === track)?.tasks[index];
  if (t === undefined) throw new InternalError(`${type}: no task ${track}[${index}]`);
  return t;
}

function put(run: RunRecord, s: OrchestrationState): RunRecord {
  run.orchestration = s;
  const tasks = s.tracks.flatMap((t) => t.tasks);
  const stoppedTracks = s.tracks.filter((t) => trackOutcome(t) === 'stopped').length;
  run.metrics = {
    ...run.metrics,
    tracks_total: s.tracks.length,
    tasks_total: tasks.length,
    tasks_landed: tasks.filter((t) => t.state === 'landed').length,
    tracks_stopped: stoppedTracks,
    collisions: s.collisions.length,
  };
  return run;
}

function log(run: RunRecord, ts: string, type: string, message: string): void {
  run.events.push({ timestamp: ts, type, message });
}

const onStarted = (run: RunRecord, e: OrchEventOf<'orch.started'> & Ts): RunRecord => {
  const s: OrchestrationState = {
    status: 'running',
    session: 1,
    interrupted: null,
    config: e.config,
    policy: e.policy,
    max_parallel: e.max_parallel,
    options: e.options,
    base_branch: e.base_branch,
    integration: { branch: e.integration_branch, base_commit: e.base_commit, head: e.base_commit },
    tracks: e.tracks.map((t) => ({
      id: t.id,
      changed: [],
      tasks: t.tasks.map((k) => ({ ...k, state: 'pending', run_id: null, base: null, head: null, stop_reason: null, detail: null, waiting_on: null, landed: null })),
    })),
    collisions: [],
    landed_count: 0,
    dry_runs: { checkpoints: 0, pairs: 0, total_ms: 0 },
  };
  run.status = 'RUNNING';
  run.phase = 'RUNNING';
  run.stop_reason = null;
  log(run, e.ts, 'ORCHESTRATION_STARTED', `${e.tracks.length} tracks, policy ${e.policy}, integration branch ${e.integration_branch}`);
  return put(run, s);
};

type H<T extends OrchEventType> = (run: RunRecord, e: OrchEventOf<T> & Ts) => RunRecord;

export const ORCH_HANDLERS: { [K in OrchEventType]: H<K> } = {
  'orch.started': onStarted,
  'orch.task_started': (run, e) => {
    const s = stateOf(run, e.type);
    const t = task(s, e.track, e.task_index, e.type);
    Object.assign(t, { state: 'running', run_id: e.run_id, base: e.base, head: null, stop_reason: null, detail: null });
    const tr = s.tracks.find((k) => k.id === e.track);
    if (tr !== undefined) tr.changed = [];
    log(run, e.ts, 'TASK_STARTED', `${e.track}: ${t.path} → ${e.run_id}`);
    return put(run, s);
  },
  'orch.task_resumed': (run, e) => {
    const s = stateOf(run, e.type);
    Object.assign(task(s, e.track, e.task_index, e.type), { state: 'running', stop_reason: null, detail: null });
    return put(run, s);
  },
  'orch.task_abandoned': (run, e) => {
    const s = stateOf(run, e.type);
    const t = task(s, e.track, e.task_index, e.type);
    if (t.run_id === e.run_id) Object.assign(t, { state: 'pending', run_id: null, base: null, head: null, stop_reason: null, detail: null, waiting_on: null });
    log(run, e.ts, 'TASK_ABANDONED', `${e.track}: ${e.run_id} never started (${e.detail}); the task starts afresh`);
    return put(run, s);
  },
  'orch.checkpoint': (run, e) => {
    const s = stateOf(run, e.type);
    task(s, e.track, e.task_index, e.type).head = e.sha;
    const tr = s.tracks.find((k) => k.id === e.track);
    // The report of a task's last checkpoint may follow the start of the track's next task: the
    // track's `changed` is the active task's, so a later task's is not overwritten.
    if (tr !== undefined && !tr.tasks.some((k, i) => i > e.task_index && k.run_id !== null)) tr.changed = e.changed;
    s.dry_runs = { checkpoints: s.dry_runs.checkpoints + 1, pairs: s.dry_runs.pairs + e.dry_runs, total_ms: s.dry_runs.total_ms + e.dry_run_ms };
    return put(run, s);
  },
  'orch.collision': (run, e) => {
    const s = stateOf(run, e.type);
    s.collisions.push({ at: e.ts, kind: e.kind, track: e.track, other: e.other, files: e.files, checkpoint: e.checkpoint, action: e.action });
    if (s.collisions.length > MAX_COLLISIONS) s.collisions.splice(0, s.collisions.length - MAX_COLLISIONS);
    if (e.action === 'wait') {
      const tr = s.tracks.find((k) => k.id === e.track);
      const t = tr?.tasks.find((k) => k.state === 'running' || k.state === 'waiting');
      if (t !== undefined) Object.assign(t, { state: 'waiting', waiting_on: [e.other ?? 'integration'] });
    }
    log(run, e.ts, 'COLLISION', `${e.kind}: ${e.track} vs ${e.other ?? 'integration'} on ${e.files.slice(0, 5).join(', ')} → ${e.action}`);
    return put(run, s);
  },
  'orch.unblocked': (run, e) => {
    const s = stateOf(run, e.type);
    const t = s.tracks.find((k) => k.id === e.track)?.tasks.find((k) => k.state === 'waiting');
    if (t !== undefined) Object.assign(t, { state: 'running', waiting_on: null });
    return put(run, s);
  },
  'orch.task_finished': (run, e) => {
    const s = stateOf(run, e.type);
    const t = task(s, e.track, e.task_index, e.type);
    const done = e.stop_reason === 'complete';
    Object.assign(t, { state: done ? 'complete' : 'stopped', run_id: e.run_id ?? t.run_id, head: e.head ?? t.head, stop_reason: done ? null : e.stop_reason, detail: e.detail, waiting_on: null });
    log(run, e.ts, 'TASK_FINISHED', `${e.track}: ${t.path} ${done ? 'complete' : `stopped: ${e.stop_reason}`}`);
    return put(run, s);
  },
  'orch.landed': (run, e) => {
    const s = stateOf(run, e.type);
    const t = task(s, e.track, e.task_index, e.type);
    Object.assign(t, { state: 'landed', head: e.head, landed: { order: e.order, integration_head: e.integration_head }, stop_reason: null, detail: null });
    s.integration.head = e.integration_head;
    s.landed_count = Math.max(s.landed_count, e.order);
    log(run, e.ts, 'TASK_LANDED', `#${e.order} ${e.track}: ${t.path} on ${s.integration.branch}`);
    return put(run, s);
  },
  'orch.land_failed': (run, e) => {
    const s = stateOf(run, e.type);
    Object.assign(task(s, e.track, e.task_index, e.type), { state: 'not_landed', head: e.head, stop_reason: e.reason, detail: e.detail });
    log(run, e.ts, 'TASK_NOT_LANDED', `${e.track}: ${e.reason}: ${e.detail}`);
    return put(run, s);
  },
  'orch.resumed': (run, e) => {
    const s = stateOf(run, e.type);
    s.session = e.session;
    s.status = 'running';
    s.interrupted = null;
    run.status = 'RUNNING';
    run.phase = 'RUNNING';
    run.stop_reason = null;
    run.finished_at = null;
    log(run, e.ts, 'ORCHESTRATION_RESUMED', `session ${e.session}`);
    return put(run, s);
  },
  'orch.stopped': (run, e) => {
    const s = stateOf(run, e.type);
    s.status = 'stopped';
    s.interrupted = e.detail;
    run.status = 'STOPPED';
    run.phase = 'STOPPED';
    run.stop_reason = e.reason;
    run.finished_at = e.ts;
    log(run, e.ts, 'ORCHESTRATION_STOPPED', e.detail);
    return put(run, s);
  },
  'orch.completed': (run, e) => {
    const s = stateOf(run, e.type);
    const all = s.tracks.every((t) => trackOutcome(t) === 'landed');
    s.status = all ? 'complete' : 'stopped';
    run.status = all ? 'PASSED' : 'STOPPED';
    run.phase = 'STOPPED';
    const first = s.tracks.flatMap((t) => t.tasks).find((t) => t.stop_reason !== null);
    run.stop_reason = all ? 'complete' : (first?.stop_reason ?? 'interrupted');
    run.finished_at = e.ts;
    log(run, e.ts, 'ORCHESTRATION_FINISHED', all ? `every task landed on ${s.integration.branch}` : 'some tracks stopped');
    return put(run, s);
  },
};

export type { OrchEvent };
