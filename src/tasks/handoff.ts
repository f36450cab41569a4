/**
 * `record/handoffs/stop.json`, written whenever a session stops (complete included): the stop
 * reason with its registry entry, where the run stands, and what the next agent should do.
 * Derived from RUN.json (rewritten, never appended), redacted like every record.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RunRecord } from '../core/schemas/run.js';
import { SCHEMA_VERSION } from '../core/schemas/run.js';
import { taskInfoOf, taskStateOf } from '../core/tasks/record.js';
import { STOP_REASONS } from '../core/tasks/stop-reasons.js';
import { nextStep, statusView } from '../core/tasks/views.js';
import { writeFileAtomicSync } from '../store/atomic.js';
import type { RunStore } from '../store/run-store.js';

export function stopHandoff(run: RunRecord): Record<string, unknown> | null {
  const s = taskStateOf(run);
  if (s === null || s.stop_reason === null) return null;
  const info = taskInfoOf(run);
  const view = statusView(run, false);
  const step = nextStep(run, { status: run.status, phase: 'STOPPED', stop_reason: s.stop_reason, dead: false });
  return {
    schema_version: SCHEMA_VERSION,
    run_id: run.run_id,
    stop_reason: s.stop_reason,
    description: STOP_REASONS[s.stop_reason].description,
    detail: s.stop_detail,
    resumable: step.resumable,
    next_action: step.next_action,
    suggested_command: step.suggested_command,
    phase: 'STOPPED',
    stopped_in: s.stopped_in,
    milestone_index: s.milestone_index,
    milestones: { completed: s.milestones.filter((m) => m.status === 'complete').length, total: s.milestones.length },
    checkpoint_sha: s.checkpoint_sha,
    verification_failures: view.verification_failures,
    guard_violations: s.guard_violations,
    last_failure: s.feedback,
    task: info.task.file,
    branch: info.git.branch,
    worktree: info.git.worktree,
    written_at: run.finished_at,
  };
}

export function writeStopHandoff(store: RunStore, run: RunRecord): void {
  const handoff = stopHandoff(run);
  if (handoff === null) return;
  const dir = path.join(store.recordDir(run.run_id), 'handoffs');
  fs.mkdirSync(dir, { recursive: true });
  writeFileAtomicSync(path.join(dir, 'stop.json'), `${store.redactText(JSON.stringify(handoff, null, 2))}\n`);
}
