/**
 * A stage's gate: the process must have exited 0, its declared outs must exist, and its checks
 * (the gate validators, plus `file_exists`) must hold. FAIL if anything fail-severity does not
 * hold, WARN if only warn-severity checks do not, PASS otherwise. Judged only after exit.
 */
import path from 'node:path';
import type { CheckOutcome, StageStatus } from '../core/events/pipeline.js';
import type { ValidationResult } from '../core/schemas/run.js';
import type { GateContext } from '../gates/context.js';
import { isFile, resolveTemplate } from '../gates/context.js';
import { runValidation } from '../gates/validators/index.js';
import type { StageCheck } from './pipeline-io.js';
import { substitute } from '../core/template.js';

function detailOf(r: ValidationResult): string | null {
  const x = r as Record<string, unknown>;
  if (typeof x.error === 'string') return `${x.error}${typeof x.detail === 'string' ? `: ${x.detail}` : ''}`;
  if (x.missing_file === true) return `missing: ${typeof x.path === 'string' ? x.path : ''}`;
  if (Array.isArray(x.errors) && x.errors.length > 0) return x.errors.map(String).join('; ');
  if (typeof x.count === 'number' && typeof x.expected === 'number') return `count ${x.count}, expected ${x.expected}`;
  if (typeof x.outcome === 'string' && x.pass !== true) return `${(x.argv as string[] | undefined)?.join(' ') ?? 'command'}: ${x.outcome}`;
  if (Array.isArray(x.missing)) return `missing: ${x.missing.map(String).join(', ')}`;
  return null;
}

/** The check with its target and argv substituted, so results and messages name real paths. */
function concrete(c: StageCheck, ctx: GateContext): StageCheck {
  const spec = { ...c.spec } as Record<string, unknown>;
  if (typeof spec.target === 'string') spec.target = substitute(spec.target, ctx.vars).value;
  if (Array.isArray(spec.argv)) spec.argv = (spec.argv as string[]).map((a) => substitute(a, ctx.vars).value);
  return { ...c, spec: spec as StageCheck['spec'] };
}

export async function evaluateChecks(checks: readonly StageCheck[], ctx: GateContext): Promise<CheckOutcome[]> {
  const out: CheckOutcome[] = [];
  for (const raw of checks) {
    const c = concrete(raw, ctx);
    const target = 'target' in c.spec && typeof c.spec.target === 'string' ? c.spec.target : null;
    let pass: boolean;
    let warning = false;
    let detail: string | null = null;
    if (c.spec.type === 'file_exists') {
      const r = target === null ? null : resolveTemplate(ctx, target);
      pass = r !== null && r.ok && isFile(r.abs);
      detail = pass ? null : r !== null && !r.ok ? r.detail : `missing: ${target ?? '(no target)'}`;
      if (!pass && c.severity === 'warn') {
        warning = true;
        pass = true;
      }
    } else {
      const r = await runValidation(c.spec, ctx);
      if (r === null) continue;
      pass = r.pass;
      warning = (r as { warning?: unknown }).warning === true;
      detail = pass && !warning ? null : detailOf(r);
    }
    const status: StageStatus = !pass ? 'FAIL' : warning ? 'WARN' : 'PASS';
    const desc = 'description' in c.spec && typeof c.spec.description === 'string' ? c.spec.description : null;
    out.push({ type: c.spec.type, target, severity: c.severity, status, detail: status === 'PASS' ? null : [desc, detail].filter((s) => s !== null).join(': ') || null });
  }
  return out;
}

export function stageStatus(processOk: boolean, missingOuts: readonly string[], checks: readonly CheckOutcome[]): StageStatus {
  if (!processOk || missingOuts.length > 0 || checks.some((c) => c.status === 'FAIL')) return 'FAIL';
  return checks.some((c) => c.status === 'WARN') ? 'WARN' : 'PASS';
}

export function checkLabel(c: CheckOutcome): string {
  return `${c.type}${c.target !== null ? ` ${path.basename(c.target)}` : ''}`;
}
