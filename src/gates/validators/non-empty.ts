import type { ValidationOf } from '../../core/schemas/contract.js';
import type { Validator } from './common.js';
import { desc, readTarget, withSeverity } from './common.js';

/** The file exists and has non-whitespace content. */
export const nonEmpty: Validator<ValidationOf<'non_empty'>> = (spec, ctx) => {
  const t = readTarget(spec.type, spec.target, ctx, spec.description);
  if ('fail' in t) return t.fail;
  if (t.text === null) return withSeverity({ type: spec.type, path: spec.target, pass: false, missing_file: true, ...desc(spec.description) }, spec.severity);
  return withSeverity({ type: spec.type, path: spec.target, bytes: Buffer.byteLength(t.text), pass: t.text.trim() !== '', ...desc(spec.description) }, spec.severity);
};
