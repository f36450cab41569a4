/**
 * CI mode: `runr run <workflow> --slug --artifact-path [--depth] [--prompt-file]`.
 * For each gate: write the prompt packet, start an attempt (packet sha256 recorded), run the
 * executor, validate, record; retry a command gate up to `retries`; stop on the first blocking
 * failure. The loop is short on purpose: executors and gate operations live in their own files.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Contract } from '../core/schemas/contract.js';
import type { RunRecord } from '../core/schemas/run.js';
import type { WorkflowGate } from '../core/schemas/workflow.js';
import { assertNever } from '../core/errors.js';
import { sha256Text } from '../store/hash.js';
import type { RunStore } from '../store/run-store.js';
import { completeRun, contractFor, failGate, finishGate, startGate } from './gate-ops.js';
import { buildPromptPacket } from './prompt-packet.js';
import { runCommandExecutor } from './executors/command.js';
import { runManualExecutor } from './executors/manual.js';
import type { ExecutorEnv, ExecutorOutcome } from './executors/types.js';
import type { LoadedWorkflow } from './workflow-file.js';

export interface CiOptions {
  signal: AbortSignal;
  say: (line: string) => void;
  isTTY: boolean;
  waitTimeoutMs: number;
  pollMs?: number;
  originalPrompt: string;
}

export interface GateSummary {
  gate: string;
  status: 'PASS' | 'FAIL' | 'NOT_STARTED';
  attempts: number;
  failure_reason: string | null;
}

export interface CiResult {
  run: RunRecord;
  outcome: 'passed' | 'failed' | 'interrupted';
  gates: GateSummary[];
  failed_gate: string | null;
}

function instructionsFor(store: RunStore, gate: WorkflowGate): string | null {
  if (gate.prompt_template === undefined || !/^[A-Za-z0-9._-]+$/.test(gate.prompt_template)) return null;
  for (const dir of [path.join(store.project.runrDir, 'prompts'), path.join(store.project.root, 'orchestration', 'runner', 'prompts')]) {
    const f = path.join(dir, `${gate.prompt_template}.md`);
    if (fs.existsSync(f)) return fs.readFileSync(f, 'utf8');
  }
  return null;
}

function execute(kind: WorkflowGate['executor'], env: ExecutorEnv): Promise<ExecutorOutcome> {
  const k = kind ?? 'manual';
  switch (k) {
    case 'manual':
      return runManualExecutor(env);
    case 'command':
      return runCommandExecutor(env);
    default:
      return assertNever(k, 'executor');
  }
}

/** One attempt of one gate; returns its final status. */
async function attemptGate(store: RunStore, run: RunRecord, gate: WorkflowGate, contract: Contract, opts: CiOptions, previousFailure: string | null): Promise<{ status: 'PASS' | 'FAIL' | 'INTERRUPTED'; reason: string | null; attempt: number }> {
  const logDir = path.join(store.logsDir(run.run_id), 'gates', gate.gate);
  fs.mkdirSync(logDir, { recursive: true });
  let packet = buildPromptPacket(run, gate, contract, opts.originalPrompt, instructionsFor(store, gate));
  if (previousFailure !== null) packet += `\n## Previous attempt failed\n\n${previousFailure}\n`;
  packet = store.redactText(packet);
  const promptFile = path.join(logDir, 'prompt.txt');
  fs.writeFileSync(promptFile, packet);
  const { run: started, attempt } = await startGate(store, run.run_id, {
    gate: gate.gate,
    ...(gate.agent !== undefined ? { agent: gate.agent } : {}),
    executor: gate.executor ?? 'manual',
    promptSha256: sha256Text(packet),
  });
  opts.say(`▶ ${gate.gate} ${gate.name} — attempt ${attempt} (${gate.executor ?? 'manual'})`);
  const outcome = await execute(gate.executor, {
    store,
    run: started,
    gate,
    contract,
    attempt,
    promptFile,
    signal: opts.signal,
    say: opts.say,
    isTTY: opts.isTTY,
    waitTimeoutMs: opts.waitTimeoutMs,
    pollMs: opts.pollMs ?? 500,
  });
  switch (outcome.kind) {
    case 'validate': {
      const r = await finishGate(store, run.run_id, gate.gate, opts.signal, outcome.invocation);
      return { status: r.evaluation.status, reason: r.evaluation.failure_reason, attempt };
    }
    case 'finished_elsewhere': {
      const a = store.load(run.run_id).run.gates.find((g) => g.gate === gate.gate)?.attempts.find((x) => x.attempt === attempt);
      return { status: a?.status === 'PASS' ? 'PASS' : 'FAIL', reason: a?.failure_reason ?? null, attempt };
    }
    case 'failed':
      await failGate(store, run.run_id, gate.gate, outcome.reason, outcome.invocation);
      return { status: 'FAIL', reason: outcome.reason, attempt };
    case 'interrupted':
      await failGate(store, run.run_id, gate.gate, 'Interrupted', outcome.invocation);
      return { status: 'INTERRUPTED', reason: 'Interrupted', attempt };
    default:
      return assertNever(outcome, 'executor outcome');
  }
}

export async function runWorkflowGates(store: RunStore, created: RunRecord, wf: LoadedWorkflow, opts: CiOptions): Promise<CiResult> {
  const summaries: GateSummary[] = wf.workflow.gates.map((g) => ({ gate: g.gate, status: 'NOT_STARTED', attempts: 0, failure_reason: null }));
  let run = created;
  for (const [i, gate] of wf.workflow.gates.entries()) {
    const summary = summaries[i] as GateSummary;
    const { contract } = contractFor(store, run, gate.gate);
    const allowed = gate.executor === 'command' ? 1 + (gate.retries ?? 0) : 1;
    let previous: string | null = null;
    let last: Awaited<ReturnType<typeof attemptGate>> | null = null;
    for (let n = 0; n < allowed; n++) {
      last = await attemptGate(store, run, gate, contract, opts, previous);
      summary.attempts = last.attempt;
      if (last.status !== 'FAIL') break;
      previous = last.reason;
      opts.say(`  ✗ ${gate.gate} attempt ${last.attempt} failed: ${last.reason ?? 'validation failed'}${n + 1 < allowed ? ' — retrying' : ''}`);
    }
    run = store.load(run.run_id).run;
    if (last === null) continue;
    if (last.status === 'INTERRUPTED') {
      summary.status = 'FAIL';
      summary.failure_reason = 'Interrupted';
      return { run, outcome: 'interrupted', gates: summaries, failed_gate: gate.gate };
    }
    summary.status = last.status;
    summary.failure_reason = last.reason;
    if (last.status === 'PASS') {
      opts.say(`  ✓ ${gate.gate} passed on attempt ${last.attempt}`);
      continue;
    }
    if (contract.blocking !== false) {
      run = await completeRun(store, run.run_id, 'FAILED');
      return { run, outcome: 'failed', gates: summaries, failed_gate: gate.gate };
    }
    opts.say(`  (non-blocking gate ${gate.gate} failed; continuing)`);
  }
  run = await completeRun(store, run.run_id, 'PASSED');
  return { run, outcome: 'passed', gates: summaries, failed_gate: null };
}
