/**
 * `runr wait --for <condition>` (pure): parsing, evaluation against a run view, and the exit code.
 *
 * Exit code rule (docs/supervise.md): 0 when wait returns with the run complete or still running
 * (the condition held); 3 when the run is stopped — the condition held (`terminal`, `stop`) but
 * the run did not complete, or the run stopped in a way that makes the condition impossible;
 * 124 on timeout; 2 for bad input. `condition_met` in the JSON says which.
 */
import { PHASES } from '../tasks/phases.js';
import { GATE_STATUSES } from '../schemas/run.js';
import type { RunView } from './run-view.js';

export type WaitCondition =
  /** The run is terminal: stopped for any reason, complete, failed, or dead. */
  | { kind: 'terminal' }
  /** The run completed (task: `complete`; workflow: PASSED). */
  | { kind: 'complete' }
  /** The run stopped without completing. */
  | { kind: 'stop' }
  /** Task runs: the run is in this phase. Workflow runs: the current gate has this status (`PASS`, or `G2:PASS`). */
  | { kind: 'phase'; phase: string }
  /** At least n milestones are checkpointed (workflow runs: n gates passed). */
  | { kind: 'milestone'; n: number }
  /** Workflow runs: this gate passed. */
  | { kind: 'gate'; gate: string };

export type Verdict = 'met' | 'pending' | 'impossible';

export const CONDITION_HELP = 'terminal|complete|stop|phase:<PHASE>|milestone:<n>|gate:<G>';

/** Parse `--for`; returns a problem sentence instead of throwing (the CLI turns it into exit 2). */
export function parseCondition(spec: string): WaitCondition | { problem: string } {
  const s = spec.trim();
  if (s === 'terminal' || s === 'complete' || s === 'stop') return { kind: s };
  const colon = s.indexOf(':');
  const head = colon === -1 ? s : s.slice(0, colon);
  const arg = colon === -1 ? '' : s.slice(colon + 1);
  if (head === 'phase' && arg !== '') return { kind: 'phase', phase: arg.toUpperCase() };
  if (head === 'milestone' && /^\d+$/.test(arg) && Number(arg) >= 1) return { kind: 'milestone', n: Number(arg) };
  if (head === 'gate' && /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(arg)) return { kind: 'gate', gate: arg };
  return { problem: `expected ${CONDITION_HELP}, got ${JSON.stringify(spec)}` };
}

/** Whether the condition makes sense for a run of this kind (checked once the run is known). */
export function conditionProblem(c: WaitCondition, kind: RunView['kind']): string | null {
  if (c.kind === 'phase') {
    if (kind === 'task') return (PHASES as readonly string[]).includes(c.phase) ? null : `phase:${c.phase}: a task run's phases are ${PHASES.join(', ')}`;
    const status = c.phase.includes(':') ? c.phase.slice(c.phase.lastIndexOf(':') + 1) : c.phase;
    return (GATE_STATUSES as readonly string[]).includes(status) ? null : `phase:${c.phase}: a workflow run's phase is a gate status (${GATE_STATUSES.join(', ')}), optionally as <gate>:<status>`;
  }
  if (c.kind === 'gate' && kind === 'task') return `gate:${c.gate}: task runs have no gates (use phase:<PHASE> or milestone:<n>)`;
  return null;
}

function phaseMatches(want: string, v: RunView): boolean {
  if (v.phase === null) return false;
  if (v.kind === 'task') return v.phase === want;
  const have = v.phase.toUpperCase();
  return want.includes(':') ? have === want : have.endsWith(`:${want}`);
}

export function evaluate(c: WaitCondition, v: RunView): Verdict {
  const orImpossible = (held: boolean): Verdict => (held ? 'met' : v.terminal ? 'impossible' : 'pending');
  switch (c.kind) {
    case 'terminal':
      return v.terminal ? 'met' : 'pending';
    case 'complete':
      return orImpossible(v.complete);
    case 'stop':
      return v.terminal ? (v.complete ? 'impossible' : 'met') : 'pending';
    case 'phase':
      return orImpossible(phaseMatches(c.phase, v));
    case 'milestone':
      return orImpossible(v.milestones_completed >= c.n);
    case 'gate':
      return orImpossible(v.gates[c.gate] === 'PASS' || v.gates[c.gate.toUpperCase()] === 'PASS');
  }
}

export const WAIT_EXIT = { ok: 0, stopped: 3, timeout: 124 } as const;

/** 0 when the run is complete or still running, 3 when it is stopped (see the file comment). */
export function waitExitCode(result: 'met' | 'impossible' | 'timeout', v: RunView): 0 | 3 | 124 {
  if (result === 'timeout') return WAIT_EXIT.timeout;
  return v.terminal && !v.complete ? WAIT_EXIT.stopped : WAIT_EXIT.ok;
}

export function describeCondition(c: WaitCondition): string {
  switch (c.kind) {
    case 'terminal':
    case 'complete':
    case 'stop':
      return c.kind;
    case 'phase':
      return `phase:${c.phase}`;
    case 'milestone':
      return `milestone:${c.n}`;
    case 'gate':
      return `gate:${c.gate}`;
  }
}
