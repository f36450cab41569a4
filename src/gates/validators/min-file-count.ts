import picomatch from 'picomatch';
import type { ValidationOf } from '../../core/schemas/contract.js';
import { walkFiles } from '../../store/walk.js';
import { resolveTemplate } from '../context.js';
import type { Validator } from './common.js';
import { desc, unresolved, withSeverity } from './common.js';

/** Count regular files in a directory (optionally recursive, optionally matching a glob on the
 * path relative to that directory). Symlinks are not followed. A missing directory counts 0. */
export const minFileCount: Validator<ValidationOf<'min_file_count'>> = (spec, ctx) => {
  const r = resolveTemplate(ctx, spec.target);
  if (!r.ok) return unresolved(spec.type, r, spec.description);
  const match = spec.pattern !== undefined ? picomatch(spec.pattern, { dot: true }) : () => true;
  let count = 0;
  walkFiles(r.abs, (_abs, rel) => {
    if (match(rel)) count += 1;
  }, { recursive: spec.recursive === true });
  return withSeverity(
    { type: spec.type, path: spec.target, count, min: spec.min, ...(spec.pattern !== undefined ? { pattern: spec.pattern } : {}), pass: count >= spec.min, ...desc(spec.description) },
    spec.severity,
  );
};
