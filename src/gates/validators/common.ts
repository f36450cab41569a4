import type { ValidationResult } from '../../core/schemas/run.js';
import type { GateContext, Resolved } from '../context.js';
import { readIfFile, resolveTemplate } from '../context.js';

export type Validator<S> = (spec: S, ctx: GateContext) => Promise<ValidationResult> | ValidationResult;

/** The result for a path that could not be resolved safely: a failure, never a read. */
export function unresolved(type: string, r: Extract<Resolved, { ok: false }>, description?: string): ValidationResult {
  return {
    type,
    path: r.template,
    pass: false,
    error: r.problem,
    detail: r.detail,
    ...(description !== undefined ? { description } : {}),
  };
}

/** Resolve `target` and read it as text; `text` is null when the file is missing. */
export function readTarget(
  type: string,
  target: string,
  ctx: GateContext,
  description?: string,
): { fail: ValidationResult } | { text: string | null; abs: string } {
  const r = resolveTemplate(ctx, target);
  if (!r.ok) return { fail: unresolved(type, r, description) };
  return { text: readIfFile(r.abs), abs: r.abs };
}

/** Apply `severity: "warning"`: the validation never fails the gate, `warning` says whether it would have. */
export function withSeverity(result: ValidationResult, severity: 'error' | 'warning' | undefined): ValidationResult {
  if (severity !== 'warning') return result;
  return { ...result, severity: 'warning', pass: true, warning: !result.pass };
}

export function desc(d: string | undefined): { description?: string } {
  return d !== undefined ? { description: d } : {};
}
