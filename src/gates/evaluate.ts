/**
 * Evaluate a contract against the files on disk: the Orchestration Runner's `gate finish`
 * semantics (FORMATS.md §001), result shapes kept, absolute paths dropped.
 *  - `any_of`: one `file_exists_any_of` result; every existing file is hashed.
 *  - required `all_of` outputs: one `file_exists` result each; optional ones get no result but are
 *    hashed with `optional: true` when they exist.
 *  - then each validation in order (`file_exists` entries are skipped: covered above).
 */
import fs from 'node:fs';
import { failureReason, isRequired } from '../core/gates/failure-reason.js';
import type { Contract, ValidationSpec } from '../core/schemas/contract.js';
import type { Artifact, ValidationResult } from '../core/schemas/run.js';
import { sha256File } from '../store/hash.js';
import type { GateContext } from './context.js';
import { isFile, resolveTemplate } from './context.js';
import { unresolved } from './validators/common.js';
import { runValidation } from './validators/index.js';

export interface GateEvaluation {
  status: 'PASS' | 'FAIL';
  required_outputs: string[];
  artifacts: Artifact[];
  validations: ValidationResult[];
  failure_reason: string | null;
  warnings: string[];
}

async function artifactFor(ctx: GateContext, template: string, abs: string, optional: boolean): Promise<Artifact> {
  const bytes = fs.statSync(abs).size;
  const progress = ctx.hashProgress;
  const sha256 = await sha256File(abs, progress === undefined ? undefined : (done) => progress(template, done, bytes));
  return { path: template, sha256, exists: true, ...(optional ? { optional: true } : {}), bytes };
}

/** The templates a contract requires (for the attempt's `required_outputs`). */
export function requiredOutputs(contract: Contract): string[] {
  const ro = contract.required_outputs;
  return [...(ro?.any_of ?? []).map((o) => o.path), ...(ro?.all_of ?? []).map((o) => o.path)];
}

export async function evaluateContract(contract: Contract, ctx: GateContext): Promise<GateEvaluation> {
  const validations: ValidationResult[] = [];
  const artifacts: Artifact[] = [];
  const anyOf = contract.required_outputs?.any_of ?? [];
  const allOf = contract.required_outputs?.all_of ?? [];

  if (anyOf.length > 0) {
    const checked: Array<{ path: string; exists: boolean; error?: string }> = [];
    let escaped: ValidationResult | null = null;
    for (const o of anyOf) {
      const r = resolveTemplate(ctx, o.path);
      if (!r.ok) {
        checked.push({ path: o.path, exists: false, error: r.problem });
        escaped ??= unresolved('file_exists_any_of', r, o.description);
        continue;
      }
      const exists = isFile(r.abs);
      checked.push({ path: o.path, exists });
      if (exists) artifacts.push(await artifactFor(ctx, o.path, r.abs, false));
    }
    const anyDesc = contract.validations?.find((v) => v.type === 'file_exists' && v.target === 'any_of')?.description;
    validations.push({
      type: 'file_exists_any_of',
      pass: checked.some((c) => c.exists),
      checked,
      ...(anyDesc !== undefined ? { description: anyDesc } : {}),
    });
    if (escaped !== null) validations.push(escaped);
  }

  for (const o of allOf) {
    const required = isRequired(o, ctx.depth);
    const r = resolveTemplate(ctx, o.path);
    if (!r.ok) {
      validations.push(unresolved('file_exists', r, o.description));
      continue;
    }
    const exists = isFile(r.abs);
    if (required) validations.push({ type: 'file_exists', path: o.path, pass: exists, ...(o.description !== undefined ? { description: o.description } : {}) });
    if (exists) artifacts.push(await artifactFor(ctx, o.path, r.abs, !required));
  }

  for (const spec of contract.validations ?? []) {
    if (ctx.signal?.aborted === true) break;
    const result = await runValidation(spec as ValidationSpec, ctx);
    if (result !== null) validations.push(result);
  }

  const text = (x: unknown) => (typeof x === 'string' ? x : '');
  const warnings = validations.filter((v) => v.warning === true).map((v) => `${v.type}: ${text(v.path)}${typeof v.pattern === 'string' ? ` contains ${v.pattern}` : ''}`);
  const reason = failureReason(validations);
  return {
    status: reason === null ? 'PASS' : 'FAIL',
    required_outputs: requiredOutputs(contract),
    artifacts,
    validations,
    failure_reason: reason,
    warnings,
  };
}
