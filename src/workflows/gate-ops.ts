/**
 * The operations of seed 001 on a run: start / finish / fail a gate, record an invocation,
 * complete the run. Each reads the record, decides the events, and appends them under the
 * run's writer lock (RunStore.mutate). Contract evaluation (which may run commands) happens
 * outside the lock, then is recorded against the attempt it evaluated.
 */
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { StateError, UserError } from '../core/errors.js';
import type { EventBody } from '../core/events/index.js';
import { makeInvocationId } from '../core/ids.js';
import type { Contract } from '../core/schemas/contract.js';
import type { GateRecord, Invocation, RunRecord, RunStatus } from '../core/schemas/run.js';
import type { TemplateVars } from '../core/template.js';
import { loadContract } from '../gates/contract-loader.js';
import type { GateEvaluation } from '../gates/evaluate.js';
import { evaluateContract, requiredOutputs } from '../gates/evaluate.js';
import type { HashProgress } from '../gates/context.js';
import type { RunStore } from '../store/run-store.js';
import { validateGateName } from '../store/names.js';

export function findGate(run: RunRecord, gate: string): GateRecord {
  const g = run.gates.find((x) => x.gate === gate);
  if (!g) {
    const known = run.gates.map((x) => x.gate).join(', ');
    throw new UserError(`--gate: Gate not found: ${gate} (run ${run.run_id} has ${known === '' ? 'no gates' : known})`, 'gate_not_found');
  }
  return g;
}

export function gateContractPath(g: GateRecord): string | undefined {
  return typeof g.contract === 'string' ? g.contract : undefined;
}

export function contractFor(store: RunStore, run: RunRecord, gate: string): { contract: Contract; file: string } {
  return loadContract(store.project, gate, gateContractPath(findGate(run, gate)));
}

/** Template variables of a run: slug, artifact_path, run_id, depth, and its params. */
export function runVars(run: RunRecord): TemplateVars {
  const vars: TemplateVars = {};
  for (const [k, v] of Object.entries(run.params ?? {})) if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') vars[k] = String(v);
  vars.slug = run.workflow.slug;
  vars.artifact_path = run.workflow.artifact_path;
  vars.run_id = run.run_id;
  vars.depth = run.depth;
  return vars;
}

export interface StartGateInput {
  gate: string;
  agent?: string;
  executor?: string;
  promptSha256?: string | null;
}

export async function startGate(store: RunStore, runId: string, input: StartGateInput): Promise<{ run: RunRecord; attempt: number }> {
  validateGateName(input.gate);
  let attempt = 0;
  const run = await store.mutate(runId, (current) => {
    if (current === null) throw new StateError(`run ${runId} has no record`);
    const g = findGate(current, input.gate);
    const { contract } = contractFor(store, current, input.gate);
    attempt = g.attempts.length + 1;
    const agent = input.agent ?? (typeof g.agent === 'string' ? g.agent : 'unknown');
    return [
      {
        type: 'gate.started',
        gate: input.gate,
        name: g.name,
        attempt,
        agent,
        executor: input.executor ?? (typeof g.executor === 'string' ? g.executor : 'manual'),
        prompt_sha256: input.promptSha256 ?? null,
        required_outputs: requiredOutputs(contract),
      },
    ];
  });
  return { run, attempt };
}

export interface FinishResult {
  run: RunRecord;
  attempt: number;
  evaluation: GateEvaluation;
  revalidation: boolean;
}

/**
 * `invocation`: record the executor's invocation in the same journal write (one flush per gate step).
 * `hashProgress`: told how far hashing each artifact has got (the CLI draws it on a TTY).
 */
export async function finishGate(store: RunStore, runId: string, gate: string, signal?: AbortSignal, invocation?: InvocationInput, hashProgress?: HashProgress): Promise<FinishResult> {
  validateGateName(gate);
  const { run: before } = store.load(runId);
  const g = findGate(before, gate);
  const latest = g.attempts[g.attempts.length - 1];
  if (latest === undefined) throw new StateError(`No attempt started for gate ${gate}. Call 'gate start' first.`);
  const { contract } = contractFor(store, before, gate);
  const evaluation = await evaluateContract(contract, {
    root: store.project.root,
    vars: runVars(before),
    depth: before.depth,
    redact: (s) => store.redactText(s),
    logDir: path.join(store.logsDir(runId), 'gates', gate),
    ...(signal ? { signal } : {}),
    ...(hashProgress ? { hashProgress } : {}),
  });
  // Decided under the writer lock from the current record (issue 9): of N concurrent finishes of
  // one attempt exactly one sees it RUNNING; the others are re-validations.
  let revalidation = latest.status !== 'RUNNING';
  const run = await store.mutate(runId, (current) => {
    const cg = current === null ? undefined : current.gates.find((x) => x.gate === gate);
    const now = cg?.attempts.find((a) => a.attempt === latest.attempt);
    if (current === null || now === undefined) throw new StateError(`gate ${gate} attempt ${latest.attempt} disappeared while validating`);
    revalidation = now.status !== 'RUNNING';
    return [
      ...(invocation !== undefined ? [invocationEvent(current, invocation).event] : []),
      {
        type: 'gate.finished',
        gate,
        attempt: latest.attempt,
        status: evaluation.status,
        blocking: contract.blocking !== false,
        required_outputs: evaluation.required_outputs,
        artifacts: evaluation.artifacts,
        validations: evaluation.validations,
        failure_reason: evaluation.failure_reason,
      },
    ];
  });
  return { run, attempt: latest.attempt, evaluation, revalidation };
}

export async function failGate(store: RunStore, runId: string, gate: string, reason: string, invocation?: InvocationInput): Promise<{ run: RunRecord; attempt: number; created: boolean }> {
  validateGateName(gate);
  if (reason.trim() === '') throw new UserError('--reason: must not be empty');
  let attempt = 0;
  let created = false;
  const run = await store.mutate(runId, (current) => {
    if (current === null) throw new StateError(`run ${runId} has no record`);
    const g = findGate(current, gate);
    const { contract } = contractFor(store, current, gate);
    const latest = g.attempts[g.attempts.length - 1];
    created = latest === undefined;
    attempt = latest?.attempt ?? 1;
    return [
      ...(invocation !== undefined && !created ? [invocationEvent(current, invocation).event] : []),
      {
        type: 'gate.failed',
        gate,
        attempt,
        created,
        agent: latest?.agent ?? 'manual',
        reason,
        blocking: contract.blocking !== false,
        required_outputs: requiredOutputs(contract),
      },
    ];
  });
  return { run, attempt, created };
}

export interface InvocationInput {
  gate: string;
  agent: string;
  status: 'SUCCESS' | 'FAIL';
  model?: string;
  durationMs?: number;
  startedAt?: string;
  log?: string;
}

/** Build the `invocation.recorded` event for a gate's latest attempt (pure apart from the clock). */
export function invocationEvent(current: RunRecord, input: InvocationInput): { event: EventBody; invocation: Invocation } {
  const g = findGate(current, input.gate);
  const now = new Date();
  const latest = g.attempts[g.attempts.length - 1];
  const invocation: Invocation = {
    invocation_id: makeInvocationId(now.getTime(), randomBytes(3).readUIntBE(0, 3).toString(36).padStart(4, '0').slice(-4)),
    gate: input.gate,
    agent: input.agent,
    model: input.model ?? 'unknown',
    started_at: input.startedAt ?? now.toISOString(),
    finished_at: now.toISOString(),
    duration_ms: input.durationMs ?? 0,
    status: input.status,
    input_refs: [],
    output_refs: [],
  };
  const event: EventBody = { type: 'invocation.recorded', invocation, attempt: latest?.attempt ?? null, ...(input.log !== undefined ? { log: input.log } : {}) };
  return { event, invocation };
}

export async function recordInvocation(store: RunStore, runId: string, input: InvocationInput): Promise<{ run: RunRecord; invocation: Invocation }> {
  validateGateName(input.gate);
  let invocation: Invocation | null = null;
  const run = await store.mutate(runId, (current) => {
    if (current === null) throw new StateError(`run ${runId} has no record`);
    const built = invocationEvent(current, input);
    invocation = built.invocation;
    return [built.event];
  });
  if (invocation === null) throw new StateError('invocation was not recorded');
  return { run, invocation };
}

/** Without `--status`: any gate FAIL → FAILED, all gates PASS → PASSED, otherwise CANCELED. */
export function derivedFinalStatus(run: RunRecord): RunStatus {
  if (run.gates.some((g) => g.status === 'FAIL')) return 'FAILED';
  if (run.gates.length > 0 && run.gates.every((g) => g.status === 'PASS')) return 'PASSED';
  return 'CANCELED';
}

export interface FailedBlockingGate {
  gate: string;
  attempt: number | null;
  failure_reason: string | null;
}

/** Gates whose status is FAIL and whose contract is blocking (a contract that cannot be read counts as blocking). */
export function failedBlockingGates(store: RunStore, run: RunRecord): FailedBlockingGate[] {
  const out: FailedBlockingGate[] = [];
  for (const g of run.gates) {
    if (g.status !== 'FAIL') continue;
    let blocking = true;
    try {
      blocking = contractFor(store, run, g.gate).contract.blocking !== false;
    } catch {
      blocking = true;
    }
    if (!blocking) continue;
    const last = g.attempts[g.attempts.length - 1];
    out.push({ gate: g.gate, attempt: last?.attempt ?? null, failure_reason: last?.failure_reason ?? null });
  }
  return out;
}

/**
 * `run complete`. PASSED over a failed blocking gate is refused (the record would claim a proof it
 * does not hold) unless `force`; a forced completion names the gates it overrode in its event.
 */
export async function completeRun(
  store: RunStore,
  runId: string,
  status?: 'PASSED' | 'FAILED' | 'CANCELED',
  opts: { force?: boolean; onForced?: (gates: FailedBlockingGate[]) => void } = {},
): Promise<RunRecord> {
  return store.mutate(runId, (current) => {
    if (current === null) throw new StateError(`run ${runId} has no record`);
    const final = status ?? derivedFinalStatus(current);
    const failed = final === 'PASSED' ? failedBlockingGates(store, current) : [];
    if (failed.length > 0 && opts.force !== true) {
      const what = failed.map((f) => `${f.gate}${f.failure_reason !== null ? ` (${f.failure_reason})` : ''}`).join(', ');
      throw new StateError(`cannot mark run ${runId} PASSED: blocking gate ${what} failed; pass it with gate finish, or use --force to override (recorded in the journal)`, 'gate_failed');
    }
    if (failed.length > 0) opts.onForced?.(failed);
    return [{ type: 'run.completed', status: final, ...(failed.length > 0 ? { forced_over: failed } : {}) }];
  });
}
