import type { ValidationOf } from '../../core/schemas/contract.js';
import type { ValidationResult } from '../../core/schemas/run.js';
import type { Validator } from './common.js';
import { desc, readTarget, withSeverity } from './common.js';

function compile(pattern: string, flags: string | undefined, global: boolean): RegExp | string {
  try {
    return new RegExp(pattern, `${flags ?? ''}${global ? 'g' : ''}m`.replace(/(.)(?=.*\1)/g, ''));
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** The file must match the regular expression (multiline mode). A missing file fails. */
export const regexMatch: Validator<ValidationOf<'regex_match'>> = (spec, ctx) => {
  const t = readTarget(spec.type, spec.target, ctx, spec.description);
  if ('fail' in t) return t.fail;
  const re = compile(spec.pattern, spec.flags, false);
  const base: ValidationResult = { type: spec.type, path: spec.target, pattern: spec.pattern, pass: false, ...desc(spec.description) };
  if (typeof re === 'string') return { ...base, error: 'invalid_pattern', detail: re };
  if (t.text === null) return withSeverity({ ...base, missing_file: true }, spec.severity);
  return withSeverity({ ...base, pass: re.test(t.text) }, spec.severity);
};

/** At least `min` matches of the regular expression. A missing file counts 0. */
export const minRegexCount: Validator<ValidationOf<'min_regex_count'>> = (spec, ctx) => {
  const t = readTarget(spec.type, spec.target, ctx, spec.description);
  if ('fail' in t) return t.fail;
  const re = compile(spec.pattern, spec.flags, true);
  const base: ValidationResult = { type: spec.type, path: spec.target, pattern: spec.pattern, pass: false, ...desc(spec.description) };
  if (typeof re === 'string') return { ...base, error: 'invalid_pattern', detail: re, count: 0, min: spec.min };
  const count = t.text === null ? 0 : (t.text.match(re) ?? []).length;
  return withSeverity({ ...base, count, min: spec.min, pass: count >= spec.min }, spec.severity);
};
