import type { ValidationOf } from '../../core/schemas/contract.js';
import { sha256File } from '../../store/hash.js';
import { isFile, resolveTemplate } from '../context.js';
import type { Validator } from './common.js';
import { desc, unresolved, withSeverity } from './common.js';

/** The file's sha256 equals `expected` (streamed, like artifact hashing). */
export const sha256: Validator<ValidationOf<'sha256'>> = async (spec, ctx) => {
  const r = resolveTemplate(ctx, spec.target);
  if (!r.ok) return unresolved(spec.type, r, spec.description);
  const expected = spec.expected.toLowerCase();
  if (!isFile(r.abs)) return withSeverity({ type: spec.type, path: spec.target, expected, pass: false, missing_file: true, ...desc(spec.description) }, spec.severity);
  const actual = await sha256File(r.abs);
  return withSeverity({ type: spec.type, path: spec.target, expected, actual, pass: actual === expected, ...desc(spec.description) }, spec.severity);
};
