/** The detail of a task run for the page (pure): the record's derived views plus the journal's timeline. */
import type { JournalEvent } from '../events/index.js';
import type { RunRecord } from '../schemas/run.js';
import { checkpointsOf, kpiOf, taskInfoOf, taskStateOf } from '../tasks/record.js';
import type { TaskInfo } from '../tasks/record.js';
import { statusView } from '../tasks/views.js';
import type { AuditSummary, TaskDetail } from './model.js';
import { guardStopsOf, phaseBars, verificationsOf } from './task-timeline.js';

function safeInfo(run: RunRecord): TaskInfo | null {
  try {
    return taskInfoOf(run);
  } catch {
    return null;
  }
}

export function taskDetail(run: RunRecord, events: readonly JournalEvent[], alive: boolean, audit: AuditSummary | null): TaskDetail {
  const view = statusView(run, alive);
  let state: ReturnType<typeof taskStateOf> = null;
  try {
    state = taskStateOf(run);
  } catch {
    state = null;
  }
  const info = safeInfo(run);
  const milestones = state?.milestones ?? [];
  const laneOf = (i: number) => milestones[i]?.id ?? `m${i + 1}`;
  const milestoneName = new Map(milestones.map((m, i) => [i, m.id]));
  return {
    kind: 'task',
    run_id: run.run_id,
    status: view.status,
    started_at: run.started_at,
    finished_at: view.ended_at,
    audit,
    task: info !== null ? { file: info.task.file, title: info.task.title } : null,
    branch: info?.git.branch ?? null,
    worktree: info?.git.worktree ?? null,
    base_commit: info?.git.base_commit ?? null,
    phase: view.phase,
    alive: view.alive,
    milestones: view.milestones,
    bars: phaseBars(events, laneOf),
    verifications: verificationsOf(events, laneOf),
    guard: guardStopsOf(events, laneOf),
    checkpoints: checkpointsOf(run).map((c) => ({ milestone: milestoneName.get(c.milestone_index) ?? c.milestone, sha: c.sha, at: c.at, reused: c.reused })),
    stop:
      view.stop_reason === null
        ? null
        : { reason: view.stop_reason, detail: view.stop_detail, resumable: view.resumable, next_action: view.next_action, suggested_command: view.suggested_command },
    phases: kpiOf(run).phases,
  };
}
