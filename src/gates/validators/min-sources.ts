import { countSources } from '../../core/gates/failure-reason.js';
import type { ValidationOf } from '../../core/schemas/contract.js';
import type { Validator } from './common.js';
import { desc, readTarget, withSeverity } from './common.js';

/** Threshold by depth (`thresholds[depth] ?? 8`); a missing file counts 0. */
export const minSources: Validator<ValidationOf<'min_sources'>> = (spec, ctx) => {
  const t = readTarget(spec.type, spec.target, ctx, spec.description);
  if ('fail' in t) return t.fail;
  const depth = ctx.depth === '' ? 'standard' : ctx.depth;
  const threshold = spec.thresholds?.[depth] || 8;
  const count = t.text === null ? 0 : countSources(t.text);
  return withSeverity(
    { type: spec.type, path: spec.target, count, threshold, depth, pass: count >= threshold, ...desc(spec.description) },
    spec.severity,
  );
};
