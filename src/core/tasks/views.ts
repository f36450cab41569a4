/**
 * Derived views of a task run for `status` and `report --json` (pure). Liveness is an input: a
 * record that says RUNNING while nobody holds the run's lock is shown as stopped with
 * `interrupted` (resumable) — a dead run never looks "running" forever.
 */
import type { RunRecord } from '../schemas/run.js';
import type { Phase } from './phases.js';
import { WORK_PHASES } from './phases.js';
import { checkpointsOf, kpiOf, taskInfoOf, taskStateOf } from './record.js';
import type { StopReason } from './stop-reasons.js';
import { isStopReason, STOP_REASONS, suggestedCommand } from './stop-reasons.js';
import type { NextAction } from './stop-reasons.js';
import { workflowNextStep } from '../workflows/next-step.js';

export const REPORT_VERSION = 1;

export type Outcome = 'complete' | 'stopped' | 'running' | 'unknown';

export interface Effective {
  status: RunRecord['status'];
  phase: Phase | null;
  stop_reason: StopReason | null;
  /** The record says RUNNING but its process is gone. */
  dead: boolean;
}

/**
 * The run as it really is, given whether its lock has a live holder. Only task runs have a process
 * (and a lock); a workflow run waits for people and agents between commands, so RUNNING is running.
 */
export function effective(run: RunRecord, alive: boolean): Effective {
  const phase = (run.phase ?? null) as Phase | null;
  const reason = typeof run.stop_reason === 'string' && isStopReason(run.stop_reason) ? run.stop_reason : null;
  if (run.kind === 'task' && run.status === 'RUNNING' && !alive) return { status: 'STOPPED', phase: 'STOPPED', stop_reason: 'interrupted', dead: true };
  return { status: run.status, phase, stop_reason: reason, dead: false };
}

export function outcomeOf(e: Effective): Outcome {
  if (e.stop_reason === 'complete' || e.status === 'PASSED') return 'complete';
  if (e.status === 'RUNNING' || e.status === 'QUEUED') return 'running';
  if (e.status === 'STOPPED' || e.status === 'FAILED' || e.status === 'CANCELED') return 'stopped';
  return 'unknown';
}

export interface NextStep {
  next_action: NextAction;
  suggested_command: string | null;
  resumable: boolean;
}

export function nextStep(run: RunRecord, e: Effective): NextStep {
  if (run.kind !== 'task') {
    const w = workflowNextStep(run);
    return { next_action: w.next_action, suggested_command: w.suggested_command, resumable: false };
  }
  if (e.stop_reason === null) return { next_action: 'none', suggested_command: null, resumable: false };
  const info = run.task !== undefined ? taskInfoOf(run) : null;
  const r = STOP_REASONS[e.stop_reason];
  return {
    next_action: r.nextAction,
    suggested_command: suggestedCommand(e.stop_reason, { run_id: run.run_id, worktree: info?.git.worktree ?? null, task: info?.task.file ?? null }),
    resumable: r.resumable,
  };
}

export interface StatusView {
  run_id: string;
  kind: string;
  status: RunRecord['status'];
  phase: Phase | null;
  milestone_index: number | null;
  milestones: Array<{ id: string; goal: string; status: string; checkpoint_sha: string | null; implement_attempts: number; verify_failures: number }>;
  stop_reason: StopReason | null;
  stop_detail: string | null;
  verification_failures: number;
  guard_violation_files: string[];
  alive: boolean;
  /** Workflow runs: the gate whose attempt is open (waiting for its outputs). */
  open_gate: string | null;
  resumable: boolean;
  next_action: NextAction;
  suggested_command: string | null;
  task: string | null;
  branch: string | null;
  worktree: string | null;
  checkpoint_sha: string | null;
  started_at: string;
  ended_at: string | null;
}

export function statusView(run: RunRecord, alive: boolean): StatusView {
  const e = effective(run, alive);
  const s = run.task !== undefined ? taskStateOf(run) : null;
  const info = run.task !== undefined ? taskInfoOf(run) : null;
  const step = nextStep(run, e);
  const current = s?.milestones[s.milestone_index];
  return {
    run_id: run.run_id,
    kind: run.kind ?? 'workflow',
    status: e.status,
    phase: e.phase,
    milestone_index: s?.milestone_index ?? null,
    milestones: (s?.milestones ?? []).map((m) => ({
      id: m.id,
      goal: m.goal,
      status: m.status,
      checkpoint_sha: m.checkpoint_sha,
      implement_attempts: m.implement_attempts,
      verify_failures: m.verify_failures,
    })),
    stop_reason: e.stop_reason,
    stop_detail: e.dead ? 'the run’s process is gone (no live lock holder)' : (s?.stop_detail ?? null),
    verification_failures: current?.verify_failures ?? 0,
    guard_violation_files: (s?.guard_violations ?? []).map((v) => v.path),
    // A workflow run is live while RUNNING (no process to lose); a task run while its lock is held.
    alive: run.status === 'RUNNING' && (alive || run.kind !== 'task'),
    open_gate: run.kind !== 'task' ? workflowNextStep(run).open_gate : null,
    resumable: step.resumable,
    next_action: step.next_action,
    suggested_command: step.suggested_command,
    task: info?.task.file ?? null,
    branch: info?.git.branch ?? null,
    worktree: info?.git.worktree ?? null,
    checkpoint_sha: s?.checkpoint_sha ?? null,
    started_at: run.started_at,
    ended_at: e.dead ? null : run.finished_at,
  };
}

export interface ReportView {
  version: number;
  run_id: string;
  phase: Phase | null;
  checkpoint_sha: string | null;
  total_duration_ms: number;
  started_at: string;
  ended_at: string | null;
  phases: Record<string, { duration_ms: number; count: number }>;
  verify: { attempts: number; retries: number; total_duration_ms: number };
  milestones: { completed: number; total: number };
  outcome: Outcome;
  stop_reason: StopReason | null;
  next_action: NextAction;
  suggested_command: string | null;
}

/**
 * `report --json`. `total_duration_ms` is wall-clock from the start to the end (or to `now` while
 * running); for a dead run, to its last recorded event (`lastEventAt`).
 */
export function reportView(run: RunRecord, alive: boolean, now: Date, lastEventAt: string | null): ReportView {
  const e = effective(run, alive);
  const s = run.task !== undefined ? taskStateOf(run) : null;
  const step = nextStep(run, e);
  const endedAt = e.dead ? (lastEventAt ?? run.started_at) : run.finished_at;
  const endMs = endedAt !== null ? Date.parse(endedAt) : now.getTime();
  const kpi = kpiOf(run);
  const phases: ReportView['phases'] = {};
  for (const p of WORK_PHASES) {
    const v = kpi.phases[p];
    if (v !== undefined) phases[p] = { duration_ms: v.duration_ms, count: v.count };
  }
  const checkpoints = checkpointsOf(run);
  return {
    version: REPORT_VERSION,
    run_id: run.run_id,
    phase: e.phase,
    checkpoint_sha: s?.checkpoint_sha ?? checkpoints[checkpoints.length - 1]?.sha ?? null,
    total_duration_ms: Math.max(0, endMs - Date.parse(run.started_at)),
    started_at: run.started_at,
    ended_at: endedAt,
    phases,
    verify: { ...kpi.verify },
    milestones: { completed: s?.milestones.filter((m) => m.status === 'complete').length ?? 0, total: s?.milestones.length ?? 0 },
    outcome: outcomeOf(e),
    stop_reason: e.stop_reason,
    next_action: step.next_action,
    suggested_command: step.suggested_command,
  };
}
