import type { ValidationOf } from '../../core/schemas/contract.js';
import type { ValidationResult } from '../../core/schemas/run.js';
import type { Validator } from './common.js';
import { readTarget } from './common.js';

/** A substring test; a missing file passes. With `severity: "warning"` it never fails the gate and
 * `warning` tells whether the pattern was found. Result shape kept from the original. */
export const notContains: Validator<ValidationOf<'not_contains'>> = (spec, ctx) => {
  const t = readTarget(spec.type, spec.target, ctx, spec.description);
  if ('fail' in t) return t.fail;
  const found = t.text !== null && t.text.includes(spec.pattern);
  const severity = spec.severity ?? 'error';
  const result: ValidationResult = {
    type: spec.type,
    path: spec.target,
    pattern: spec.pattern,
    found,
    severity,
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    pass: severity === 'warning' ? true : !found,
  };
  if (severity === 'warning') result.warning = found;
  return result;
};
