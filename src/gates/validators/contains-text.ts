import type { ValidationOf } from '../../core/schemas/contract.js';
import type { Validator } from './common.js';
import { desc, readTarget, withSeverity } from './common.js';

/** Every given text must occur (substring). A missing file fails. */
export const containsText: Validator<ValidationOf<'contains_text'>> = (spec, ctx) => {
  const t = readTarget(spec.type, spec.target, ctx, spec.description);
  if ('fail' in t) return t.fail;
  const wanted = Array.isArray(spec.text) ? spec.text : [spec.text];
  if (t.text === null) return withSeverity({ type: spec.type, path: spec.target, pass: false, missing_file: true, missing: wanted, ...desc(spec.description) }, spec.severity);
  const text = t.text;
  const missing = wanted.filter((w) => !text.includes(w));
  return withSeverity({ type: spec.type, path: spec.target, pass: missing.length === 0, missing, ...desc(spec.description) }, spec.severity);
};
