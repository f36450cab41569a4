/**
 * What to do next with a workflow run (pure). A workflow run has no process to be alive or dead:
 * it waits for a human or an agent between commands, so a RUNNING record is simply running. The
 * next step is read from its gates: an open attempt is finished, a failed gate is retried, the next
 * gate not started yet is started, and a run whose gates all passed is completed.
 */
import type { RunRecord } from '../schemas/run.js';

export type WorkflowNextAction = 'none' | 'finish_gate' | 'start_gate' | 'complete_run';

export interface WorkflowStep {
  next_action: WorkflowNextAction;
  suggested_command: string | null;
  /** The gate whose latest attempt is RUNNING (waiting for its outputs), if any. */
  open_gate: string | null;
}

const FINAL = new Set(['PASSED', 'FAILED', 'CANCELED']);

function agentPart(run: RunRecord, gate: string): string {
  const g = run.gates.find((x) => x.gate === gate);
  const last = g?.attempts[g.attempts.length - 1];
  const agent = typeof g?.agent === 'string' ? g.agent : last?.agent;
  return agent !== undefined && agent !== 'unknown' ? ` --agent ${agent}` : '';
}

export function workflowNextStep(run: RunRecord): WorkflowStep {
  const id = run.run_id;
  const open = run.gates.find((g) => g.attempts[g.attempts.length - 1]?.status === 'RUNNING');
  if (open !== undefined) return { next_action: 'finish_gate', suggested_command: `runr gate finish --run ${id} --gate ${open.gate}`, open_gate: open.gate };
  const failed = run.gates.find((g) => g.status === 'FAIL');
  // A completed run is done, except one that FAILED on a gate: that gate can be tried again.
  if (FINAL.has(run.status) && !(run.status === 'FAILED' && failed !== undefined)) return { next_action: 'none', suggested_command: null, open_gate: null };
  const next = failed ?? run.gates.find((g) => g.status !== 'PASS');
  if (next !== undefined) return { next_action: 'start_gate', suggested_command: `runr gate start --run ${id} --gate ${next.gate}${agentPart(run, next.gate)}`, open_gate: null };
  if (run.gates.length > 0) return { next_action: 'complete_run', suggested_command: `runr run complete --run ${id} --status PASSED`, open_gate: null };
  return { next_action: 'none', suggested_command: null, open_gate: null };
}
