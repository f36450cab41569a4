import type { CliContext } from '../../context.js';
import { emit } from '../../context.js';
import { paint } from '../../style.js';
import { ExitCode, OutcomeError } from '../../../core/errors.js';
import { failGate, finishGate, startGate } from '../../../workflows/gate-ops.js';
import { resolveRunArg, storeFor } from '../store-opts.js';
import type { GateFailOptions, GateFinishOptions, GateStartOptions } from './gate-options.js';
import { hashingProgress, progressLine } from '../../progress-line.js';

export async function gateStart(ctx: CliContext, opts: GateStartOptions): Promise<void> {
  const store = storeFor(ctx);
  const runId = resolveRunArg(store, opts.run);
  const { gate, agent } = opts;
  const { run, attempt } = await startGate(store, runId, { gate, ...(agent !== undefined ? { agent } : {}) });
  const a = run.gates.find((g) => g.gate === gate)?.attempts.find((x) => x.attempt === attempt);
  emit(
    ctx,
    { run_id: runId, gate, attempt, agent: a?.agent ?? agent ?? 'unknown', status: 'RUNNING', required_outputs: a?.required_outputs ?? [] },
    () => [
      `Gate ${gate} attempt ${attempt} started (agent: ${a?.agent ?? 'unknown'})`,
      ...(a?.required_outputs.length ? ['  required outputs:', ...a.required_outputs.map((o) => `    ${o}`)] : []),
      `next: produce the outputs, then runr gate finish --run ${runId} --gate ${gate}`,
    ],
  );
}

export async function gateFinish(ctx: CliContext, opts: GateFinishOptions): Promise<void> {
  const store = storeFor(ctx);
  const runId = resolveRunArg(store, opts.run);
  const { gate } = opts;
  const line = progressLine(process.stderr);
  const r = await finishGate(store, runId, gate, ctx.signal, undefined, hashingProgress(line)).finally(() => line.done());
  const p = paint(ctx.color);
  const e = r.evaluation;
  emit(
    ctx,
    {
      run_id: runId,
      gate,
      attempt: r.attempt,
      status: e.status,
      revalidation: r.revalidation,
      run_status: r.run.status,
      failure_reason: e.failure_reason,
      warnings: e.warnings,
      validations: e.validations,
      artifacts: e.artifacts,
    },
    () => [
      `${e.status === 'PASS' ? p.green('PASS') : p.red('FAIL')} gate ${gate} attempt ${r.attempt}${r.revalidation ? ' (re-validation)' : ''}`,
      ...e.validations.map((v) => `  ${v.warning === true ? p.yellow('!') : v.pass ? p.green('✓') : p.red('✗')} ${v.type}${typeof v.path === 'string' ? ` ${v.path}` : ''}`),
      ...(e.artifacts.length > 0 ? [`  ${e.artifacts.length} artifact(s) hashed`] : []),
      ...e.warnings.map((w) => `  ${p.yellow('warning:')} ${w}`),
      ...(e.failure_reason ? [`  reason: ${e.failure_reason}`] : []),
    ],
  );
  if (e.status === 'FAIL') throw new OutcomeError('', ExitCode.failed);
}

export async function gateFail(ctx: CliContext, opts: GateFailOptions): Promise<void> {
  const store = storeFor(ctx);
  const runId = resolveRunArg(store, opts.run);
  const { gate, reason } = opts;
  const r = await failGate(store, runId, gate, reason);
  emit(ctx, { run_id: runId, gate, attempt: r.attempt, created_attempt: r.created, status: 'FAIL', reason, run_status: r.run.status }, () => `Gate ${gate} attempt ${r.attempt} marked FAIL: ${reason}`);
}
