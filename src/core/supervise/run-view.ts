/**
 * What supervision needs to know about a run, whatever its kind (pure): is it still going, did it
 * complete, which phase, how many milestones. Task runs take liveness into account (a RUNNING
 * record whose lock has no live holder is stopped with `interrupted`, as `status` shows it);
 * workflow runs have no supervisor, their record is the truth (terminal once completed).
 */
import type { GateStatus, RunKind, RunRecord, RunStatus } from '../schemas/run.js';
import { TERMINAL_STATUSES } from '../schemas/run.js';
import { taskStateOf } from '../tasks/record.js';
import type { StopReason } from '../tasks/stop-reasons.js';
import { effective } from '../tasks/views.js';

export interface RunView {
  run_id: string;
  kind: RunKind;
  /** Effective status (a dead task run is STOPPED). */
  status: RunStatus;
  /**
   * Task runs: PLAN … CHECKPOINT, STOPPED. Workflow runs: `<gate>:<gate status>` of the gate
   * started last (`G2:RUNNING`, `G3:PASS`), null before the first gate.
   */
  phase: string | null;
  stop_reason: StopReason | null;
  stop_detail: string | null;
  /** Task runs: checkpointed milestones. Workflow runs: gates that passed. */
  milestones_completed: number;
  milestones_total: number;
  /** The run is not going anywhere by itself (stopped, complete, failed, dead). */
  terminal: boolean;
  complete: boolean;
  /** The record said RUNNING but nobody holds the run's lock. */
  dead: boolean;
  /** Task runs: the session number (1, then +1 per resume). */
  session: number | null;
  /** Files the scope guard (or the plan check) blocked. */
  guard_files: string[];
  gates: Record<string, GateStatus>;
}

function currentGate(run: RunRecord): { gate: string; status: GateStatus } | null {
  let best: { gate: string; status: GateStatus; at: string } | null = null;
  for (const g of run.gates) {
    for (const a of g.attempts) {
      if (best === null || a.started_at >= best.at) best = { gate: g.gate, status: g.status, at: a.started_at };
    }
  }
  return best === null ? null : { gate: best.gate, status: best.status };
}

export function runView(run: RunRecord, alive: boolean): RunView {
  const gates: Record<string, GateStatus> = {};
  for (const g of run.gates) gates[g.gate] = g.status;
  if (run.kind === 'task') {
    const e = effective(run, alive);
    const s = run.task !== undefined ? taskStateOf(run) : null;
    const terminal = e.status === 'STOPPED' || e.status === 'PASSED' || TERMINAL_STATUSES.has(e.status);
    return {
      run_id: run.run_id,
      kind: 'task',
      status: e.status,
      phase: e.phase,
      stop_reason: e.stop_reason,
      stop_detail: e.dead ? 'the run’s process is gone (no live lock holder)' : (s?.stop_detail ?? null),
      milestones_completed: s?.milestones.filter((m) => m.status === 'complete').length ?? 0,
      milestones_total: s?.milestones.length ?? 0,
      terminal,
      complete: e.stop_reason === 'complete',
      dead: e.dead,
      session: s?.session ?? null,
      guard_files: (s?.guard_violations ?? []).map((v) => v.path),
      gates,
    };
  }
  if (run.kind === 'orchestration') {
    // The orchestrator holds the run's lock while it works; STOPPED (some track stopped) is terminal.
    const dead = run.status === 'RUNNING' && !alive;
    const m = run.metrics ?? {};
    return {
      run_id: run.run_id,
      kind: 'orchestration',
      status: dead ? 'STOPPED' : run.status,
      phase: run.phase ?? null,
      stop_reason: dead ? 'interrupted' : ((run.stop_reason ?? null) as StopReason | null),
      stop_detail: dead ? 'the orchestrator process is gone (no live lock holder)' : null,
      milestones_completed: typeof m.tasks_landed === 'number' ? m.tasks_landed : 0,
      milestones_total: typeof m.tasks_total === 'number' ? m.tasks_total : 0,
      terminal: dead || (run.status !== 'RUNNING' && run.status !== 'QUEUED'),
      complete: run.status === 'PASSED',
      dead,
      session: null,
      guard_files: [],
      gates,
    };
  }
  const cur = currentGate(run);
  return {
    run_id: run.run_id,
    kind: run.kind ?? 'workflow',
    status: run.status,
    phase: cur === null ? null : `${cur.gate}:${cur.status}`,
    stop_reason: null,
    stop_detail: null,
    milestones_completed: run.gates.filter((g) => g.status === 'PASS').length,
    milestones_total: run.gates.length,
    // A failing blocking gate sets FAILED, but a manual run may start the gate again: a workflow
    // run is over when it was completed (`run complete`, or the end of CI mode).
    terminal: run.finished_at !== null && TERMINAL_STATUSES.has(run.status),
    complete: run.finished_at !== null && run.status === 'PASSED',
    dead: false,
    session: null,
    guard_files: [],
    gates,
  };
}
