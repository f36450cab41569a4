import fs from 'node:fs';
import type { ValidationOf } from '../../core/schemas/contract.js';
import { resolveTemplate } from '../context.js';
import type { Validator } from './common.js';
import { desc, unresolved, withSeverity } from './common.js';

export const dirExists: Validator<ValidationOf<'dir_exists'>> = (spec, ctx) => {
  const r = resolveTemplate(ctx, spec.target);
  if (!r.ok) return unresolved(spec.type, r, spec.description);
  let pass = false;
  try {
    pass = fs.statSync(r.abs).isDirectory();
  } catch {
    pass = false;
  }
  return withSeverity({ type: spec.type, path: spec.target, pass, ...desc(spec.description) }, spec.severity);
};
