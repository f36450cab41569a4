/**
 * The phase timeline of a task run, from its journal (pure). Every `task.*` event is recorded when
 * its phase ends, with the phase's duration, so a bar runs from `ts - duration_ms` to `ts`. PLAN
 * has its own lane; the other phases are laid out per milestone. A `task.stopped` that cut a phase
 * short adds a bar for the part that ran.
 */
import type { JournalEvent } from '../events/index.js';
import type { PhaseBar, TimelinePhase, VerificationView } from './model.js';

function bar(e: JournalEvent, lane: string, phase: TimelinePhase, durationMs: number, outcome: PhaseBar['outcome'], label: string): PhaseBar {
  const end = Date.parse(e.ts);
  const start = new Date(end - Math.max(0, durationMs)).toISOString();
  return { seq: e.seq, lane, phase, start, end: e.ts, duration_ms: Math.round(durationMs), outcome, label };
}

/** `laneOf(i)`: the milestone id of index i (m1, m2, … when the record has no milestone there). */
export function phaseBars(events: readonly JournalEvent[], laneOf: (index: number) => string): PhaseBar[] {
  const bars: PhaseBar[] = [];
  let current = 0;
  for (const e of events) {
    switch (e.type) {
      case 'task.planned':
        bars.push(bar(e, 'plan', 'PLAN', e.duration_ms, e.outcome === 'ok' ? 'ok' : 'fail', e.outcome === 'ok' ? `${e.milestones.length} milestone${e.milestones.length === 1 ? '' : 's'}` : `rejected${e.reason !== null ? `: ${e.reason}` : ''}`));
        break;
      case 'task.implemented':
        current = e.milestone_index;
        bars.push(bar(e, laneOf(current), 'IMPLEMENT', e.duration_ms, e.violations.length > 0 || e.status === 'blocked' || e.status === 'failed' ? 'fail' : 'ok', `attempt ${e.attempt}: ${e.status}, ${e.changed_count} file${e.changed_count === 1 ? '' : 's'}`));
        break;
      case 'task.verified':
        current = e.milestone_index;
        bars.push(bar(e, laneOf(current), 'VERIFY', e.duration_ms, e.ok ? 'ok' : 'fail', e.ok ? `${e.commands.length} command${e.commands.length === 1 ? '' : 's'} passed` : `failed: ${e.failure?.command ?? 'scope'}`));
        break;
      case 'task.reviewed':
        current = e.milestone_index;
        bars.push(bar(e, laneOf(current), 'REVIEW', e.duration_ms, e.status === 'approve' ? 'ok' : 'fail', `round ${e.round}: ${e.status}`));
        break;
      case 'task.checkpointed':
        current = e.milestone_index;
        bars.push(bar(e, laneOf(current), 'CHECKPOINT', e.duration_ms, e.sha !== null ? 'ok' : 'fail', e.sha !== null ? `${e.sha.slice(0, 12)}${e.reused ? ' (reused)' : ''}` : 'refused by the scope check'));
        break;
      case 'task.stopped':
        if (e.phase !== null && e.phase !== 'STOPPED' && e.duration_ms !== null && e.duration_ms > 0) {
          bars.push(bar(e, e.phase === 'PLAN' ? 'plan' : laneOf(current), e.phase, e.duration_ms, 'stopped', `cut short: ${e.reason}`));
        }
        break;
      default:
        break;
    }
  }
  return bars;
}

export function verificationsOf(events: readonly JournalEvent[], laneOf: (index: number) => string): VerificationView[] {
  const out: VerificationView[] = [];
  for (const e of events) {
    if (e.type !== 'task.verified') continue;
    out.push({
      seq: e.seq,
      milestone: laneOf(e.milestone_index),
      at: e.ts,
      ok: e.ok,
      duration_ms: Math.round(e.duration_ms),
      commands: e.commands.map((c) => ({ tier: c.tier, command: c.command, exit_code: c.exit_code, timed_out: c.timed_out, duration_ms: Math.round(c.duration_ms) })),
      failure: e.failure,
    });
  }
  return out;
}

/** Guard stops: every scope violation the journal recorded, with the phase that found it. */
export function guardStopsOf(events: readonly JournalEvent[], laneOf: (index: number) => string): Array<{ path: string; rule: string; detail: string | null; milestone: string | null; phase: string }> {
  const out: Array<{ path: string; rule: string; detail: string | null; milestone: string | null; phase: string }> = [];
  for (const e of events) {
    let phase: string;
    let milestone: string | null;
    switch (e.type) {
      case 'task.planned':
        phase = 'PLAN';
        milestone = null;
        break;
      case 'task.implemented':
        phase = 'IMPLEMENT';
        milestone = laneOf(e.milestone_index);
        break;
      case 'task.verified':
        phase = 'VERIFY';
        milestone = laneOf(e.milestone_index);
        break;
      case 'task.checkpointed':
        phase = 'CHECKPOINT';
        milestone = laneOf(e.milestone_index);
        break;
      default:
        continue;
    }
    const violations = 'violations' in e ? e.violations : e.scope_violations;
    for (const v of violations) out.push({ path: v.path, rule: v.rule, detail: v.detail ?? null, milestone, phase });
  }
  return out;
}
