import type { ValidationOf } from '../../core/schemas/contract.js';
import type { Validator } from './common.js';
import { desc, readTarget, withSeverity } from './common.js';

/** A plain substring test (so "## Layer 10" satisfies "## Layer 1", as in the original).
 * A missing file fails with every heading listed as missing. */
export const containsHeadings: Validator<ValidationOf<'contains_headings'>> = (spec, ctx) => {
  const t = readTarget(spec.type, spec.target, ctx, spec.description);
  if ('fail' in t) return t.fail;
  const text = t.text;
  const missing = text === null ? [...spec.required_headings] : spec.required_headings.filter((h) => !text.includes(h));
  return withSeverity({ type: spec.type, path: spec.target, pass: missing.length === 0, missing, ...desc(spec.description) }, spec.severity);
};
