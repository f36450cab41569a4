/**
 * How workflow events change a run (pure). Status rules are the Orchestration Runner's, quirks
 * kept on purpose (FORMATS.md §001): any gate start sets the run RUNNING, even after FAILED; a
 * failing blocking gate sets it FAILED; `run complete` sets the final status and `finished_at`.
 */
import { InternalError } from '../errors.js';
import type { EventOf } from '../events/index.js';
import type { Attempt, GateRecord, LegacyEvent, RunRecord } from '../schemas/run.js';
import { SCHEMA_VERSION } from '../schemas/run.js';

type Ts = { ts: string; seq: number };

function gateOf(run: RunRecord, gate: string, name?: string): GateRecord {
  let g = run.gates.find((x) => x.gate === gate);
  if (!g) {
    g = { gate, name: name ?? gate, status: 'NOT_STARTED', attempts: [] };
    run.gates.push(g);
  }
  return g;
}

function attemptOf(g: GateRecord, n: number): Attempt {
  const a = g.attempts.find((x) => x.attempt === n);
  if (!a) throw new InternalError(`journal refers to missing attempt ${n} of gate ${g.gate}`);
  return a;
}

function log(run: RunRecord, e: LegacyEvent): void {
  run.events.push(e);
}

export function onRunCreated(_run: RunRecord | null, e: EventOf<'run.created'> & Ts): RunRecord {
  return {
    schema_version: SCHEMA_VERSION,
    run_id: e.run_id,
    kind: e.kind,
    workflow: { ...e.workflow },
    depth: e.depth,
    prompt: e.prompt,
    status: 'QUEUED',
    started_at: e.ts,
    finished_at: null,
    gates: e.gates.map((g) => ({
      gate: g.gate,
      name: g.name,
      status: 'NOT_STARTED' as const,
      attempts: [],
      ...(g.contract !== undefined ? { contract: g.contract } : {}),
      ...(g.agent !== undefined ? { agent: g.agent } : {}),
      ...(g.executor !== undefined ? { executor: g.executor } : {}),
    })),
    invocations: [],
    artifacts_index: [],
    validations: [],
    events: [{ timestamp: e.ts, type: 'RUN_STARTED', message: `Run initialized for ${e.workflow.name}/${e.workflow.slug}` }],
    params: { ...e.params },
    ...(e.tags ? { tags: { ...e.tags } } : {}),
    ...(e.git !== undefined ? { git: e.git } : {}),
    phase: null,
    stop_reason: null,
    metrics: {},
  };
}

export function onRunImported(_run: RunRecord | null, e: EventOf<'run.imported'> & Ts): RunRecord {
  // The writer stamps schema_version on every snapshot it writes; the replay must do the same, or
  // an imported record (the Orchestration Runner wrote none) would differ from its own replay.
  return { ...structuredClone(e.record), schema_version: e.record.schema_version ?? SCHEMA_VERSION };
}

export function onGateStarted(run: RunRecord, e: EventOf<'gate.started'> & Ts): RunRecord {
  const g = gateOf(run, e.gate, e.name);
  g.status = 'RUNNING';
  g.attempts.push({
    attempt: e.attempt,
    status: 'RUNNING',
    started_at: e.ts,
    finished_at: null,
    agent: e.agent,
    prompt_sha256: e.prompt_sha256,
    invocation_ids: [],
    required_outputs: e.required_outputs,
    artifacts: [],
    validations: [],
    failure_reason: null,
    executor: e.executor,
  });
  run.status = 'RUNNING';
  log(run, {
    timestamp: e.ts,
    type: 'GATE_STARTED',
    gate: e.gate,
    attempt: e.attempt,
    agent: e.agent,
    message: `Gate ${e.gate} attempt ${e.attempt} started with agent ${e.agent}`,
  });
  return run;
}

export function onGateFinished(run: RunRecord, e: EventOf<'gate.finished'> & Ts): RunRecord {
  const g = gateOf(run, e.gate);
  const a = attemptOf(g, e.attempt);
  if (a.status !== 'RUNNING') {
    // A second `gate finish` re-validates: keep what the previous validation said.
    a.revalidations = [...(a.revalidations ?? []), { status: a.status, finished_at: a.finished_at, failure_reason: a.failure_reason }];
  }
  a.status = e.status;
  a.finished_at = e.ts;
  a.required_outputs = e.required_outputs;
  a.artifacts = e.artifacts;
  a.validations = e.validations;
  a.failure_reason = e.failure_reason;
  g.status = e.status;
  for (const art of e.artifacts) {
    const existing = run.artifacts_index.find((x) => x.path === art.path);
    if (existing) {
      existing.sha256 = art.sha256;
      existing.updated_at = e.ts;
    } else {
      run.artifacts_index.push({ path: art.path, sha256: art.sha256, gate: e.gate, recorded_at: e.ts });
    }
  }
  if (e.status === 'PASS') {
    log(run, { timestamp: e.ts, type: 'GATE_PASSED', gate: e.gate, attempt: e.attempt, message: `Gate ${e.gate} passed on attempt ${e.attempt}` });
  } else {
    if (e.blocking) run.status = 'FAILED';
    log(run, { timestamp: e.ts, type: 'GATE_FAILED', gate: e.gate, attempt: e.attempt, message: `Gate ${e.gate} failed: ${e.failure_reason ?? 'validation failed'}` });
  }
  return run;
}

export function onGateFailed(run: RunRecord, e: EventOf<'gate.failed'> & Ts): RunRecord {
  const g = gateOf(run, e.gate);
  if (e.created) {
    g.attempts.push({
      attempt: e.attempt,
      status: 'FAIL',
      started_at: e.ts,
      finished_at: e.ts,
      agent: e.agent,
      prompt_sha256: null,
      invocation_ids: [],
      required_outputs: e.required_outputs,
      artifacts: [],
      validations: [],
      failure_reason: e.reason,
    });
  } else {
    const a = attemptOf(g, e.attempt);
    a.status = 'FAIL';
    a.finished_at = e.ts;
    a.failure_reason = e.reason;
  }
  g.status = 'FAIL';
  if (e.blocking) run.status = 'FAILED';
  log(run, { timestamp: e.ts, type: 'GATE_FAILED', gate: e.gate, message: `Gate ${e.gate} manually failed: ${e.reason}` });
  return run;
}

export function onInvocationRecorded(run: RunRecord, e: EventOf<'invocation.recorded'> & Ts): RunRecord {
  run.invocations.push(e.invocation);
  if (e.attempt !== null) {
    const a = attemptOf(gateOf(run, e.invocation.gate), e.attempt);
    a.invocation_ids.push(e.invocation.invocation_id);
  }
  log(run, {
    timestamp: e.ts,
    type: 'INVOCATION_RECORDED',
    invocation_id: e.invocation.invocation_id,
    gate: e.invocation.gate,
    agent: e.invocation.agent,
  });
  return run;
}

export function onRunCompleted(run: RunRecord, e: EventOf<'run.completed'> & Ts): RunRecord {
  run.status = e.status;
  run.finished_at = e.ts;
  if (e.forced_over !== undefined && e.forced_over.length > 0) {
    const gates = e.forced_over.map((g) => g.gate);
    log(run, {
      timestamp: e.ts,
      type: 'RUN_STATUS_FORCED',
      status: e.status,
      gates,
      message: `Run marked ${e.status} with --force over failed blocking gate${gates.length > 1 ? 's' : ''} ${gates.join(', ')}`,
    });
  }
  log(run, { timestamp: e.ts, type: 'RUN_COMPLETED', status: e.status, message: `Run completed with status ${e.status}` });
  return run;
}
