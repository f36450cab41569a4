/**
 * One journal event as a human line for `runr follow` (pure). `after` is the run as of the event
 * (milestone ids, the session number). Workflow and task events have their own sentences; events
 * of other families (ops, orchestration, and any family added later) get a generic line built
 * from their scalar fields, so a new event type never breaks `follow`.
 */
import type { EventOf, EventType, JournalEvent } from '../events/index.js';
import type { RunRecord } from '../schemas/run.js';
import { taskStateOf } from '../tasks/record.js';
import type { Violation } from '../tasks/state.js';
import { ORCH_DESCRIBE } from '../orchestrate/describe.js';

type Describe<T extends EventType> = (e: EventOf<T>, after: RunRecord) => string[];

function milestoneId(after: RunRecord, index: number): string {
  try {
    return taskStateOf(after)?.milestones[index]?.id ?? `m${index + 1}`;
  } catch {
    return `m${index + 1}`;
  }
}

const violations = (vs: readonly Violation[]): string[] => vs.map((v) => `  guard_violation: ${v.path} (${v.rule}${v.detail !== undefined ? `: ${v.detail}` : ''})`);
const secs = (ms: number | null) => (ms === null ? '' : ` in ${(ms / 1000).toFixed(1)} s`);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function tail(text: string, lines: number): string[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-lines)
    .map((l) => `  | ${l}`);
}

const DESCRIBE: { [K in EventType]?: Describe<K> } = {
  'run.created': (e) => [`created ${e.kind} run ${e.workflow.name}${e.workflow.slug !== '' ? `/${e.workflow.slug}` : ''}`],
  'run.imported': () => ['imported a record written by another tool'],
  'gate.started': (e) => [`${e.gate} started (attempt ${e.attempt}, ${e.executor} executor, agent ${e.agent})`],
  'gate.finished': (e) => [`${e.gate} ${e.status} (attempt ${e.attempt})${e.failure_reason !== null ? `: ${e.failure_reason}` : ''}`],
  'gate.failed': (e) => [`${e.gate} FAIL (attempt ${e.attempt}, marked failed): ${e.reason}`],
  'invocation.recorded': (e) => [`${e.invocation.gate} invocation ${e.invocation.invocation_id} ${e.invocation.agent} ${e.invocation.status}`],
  'run.completed': (e) => [`run completed: ${e.status}`],
  'task.started': (e) => [`started: ${e.task.file} (${e.task.title}) on ${e.git.branch}${e.git.worktree !== null ? ` in ${e.git.worktree}` : ' (in place)'}${e.fast ? ', --fast' : ''}`],
  'task.planned': (e) =>
    e.outcome === 'ok' && e.scope_violations.length === 0
      ? [`PLAN: ${plural(e.milestones.length, 'milestone')}${secs(e.duration_ms)}`, ...e.milestones.map((m, i) => `  m${i + 1} ${m.goal}`)]
      : [`PLAN ${e.outcome === 'rejected' ? `rejected: ${e.reason ?? 'no reason given'}` : 'expects files outside the scope'}`, ...violations(e.scope_violations)],
  'task.implemented': (e, after) => [`${milestoneId(after, e.milestone_index)} IMPLEMENT attempt ${e.attempt}: ${e.status}, ${plural(e.changed_count, 'file')} changed${secs(e.duration_ms)}`, ...violations(e.violations)],
  'task.verified': (e, after) => {
    const id = milestoneId(after, e.milestone_index);
    if (e.ok) return [`${id} VERIFY ok (${plural(e.commands.length, 'command')})${secs(e.duration_ms)}`];
    if (e.failure === null) return [`${id} VERIFY refused`, ...violations(e.violations)];
    return [`${id} VERIFY failed: ${e.failure.tier} \`${e.failure.command}\` exit ${e.failure.exit_code ?? 'none'}`, ...tail(e.failure.output_tail, 5), ...violations(e.violations)];
  },
  'task.reviewed': (e, after) => [`${milestoneId(after, e.milestone_index)} REVIEW round ${e.round}: ${e.status}`, ...e.changes.map((c) => `  - ${c}`)],
  'task.checkpointed': (e, after) =>
    e.sha !== null
      ? [`${milestoneId(after, e.milestone_index)} CHECKPOINT ${e.sha.slice(0, 12)} (${plural(e.files_count, 'file')}${e.reused ? ', reused' : ''})`]
      : [`${milestoneId(after, e.milestone_index)} CHECKPOINT refused`, ...violations(e.violations)],
  'task.stopped': (e, after) => {
    if (e.reason === 'complete') return ['complete'];
    let guard: string[] = [];
    try {
      guard = violations(taskStateOf(after)?.guard_violations ?? []);
    } catch {
      guard = [];
    }
    return [`stopped: ${e.reason}${e.detail !== null ? ` — ${e.detail}` : ''}`, ...guard];
  },
  'task.resumed': (_e, after) => {
    let session: number | null = null;
    try {
      session = taskStateOf(after)?.session ?? null;
    } catch {
      session = null;
    }
    return [`resumed${session !== null ? ` (session ${session})` : ''}`];
  },
  ...ORCH_DESCRIBE,
};

const SKIP = new Set(['schema_version', 'seq', 'ts', 'prev', 'type']);

/** `orch.task_started track=auth task_index=0 run_id=run_…`: the event's scalar fields. */
function generic(e: JournalEvent): string[] {
  const fields = Object.entries(e)
    .filter(([k, v]) => !SKIP.has(k) && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'))
    .slice(0, 6)
    .map(([k, v]) => `${k}=${String(v)}`);
  return [[e.type, ...fields].join(' ')];
}

export function describeEvent(e: JournalEvent, after: RunRecord): string[] {
  const d = DESCRIBE[e.type] as Describe<EventType> | undefined;
  return d === undefined ? generic(e) : d(e as never, after);
}
