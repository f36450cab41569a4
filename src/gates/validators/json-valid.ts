import type { ValidationOf } from '../../core/schemas/contract.js';
import type { Validator } from './common.js';
import { desc, readTarget, withSeverity } from './common.js';

/** The file parses as JSON; a `.jsonl` file must have one JSON value on each non-empty line. */
export const jsonValid: Validator<ValidationOf<'json_valid'>> = (spec, ctx) => {
  const t = readTarget(spec.type, spec.target, ctx, spec.description);
  if ('fail' in t) return t.fail;
  const base = { type: spec.type, path: spec.target, ...desc(spec.description) };
  if (t.text === null) return withSeverity({ ...base, pass: false, missing_file: true }, spec.severity);
  if (/\.jsonl$/i.test(t.abs)) {
    const lines = t.text.split('\n');
    for (const [i, line] of lines.entries()) {
      if (line.trim() === '') continue;
      try {
        JSON.parse(line);
      } catch {
        return withSeverity({ ...base, pass: false, errors: [`line ${i + 1}: not valid JSON`] }, spec.severity);
      }
    }
    return withSeverity({ ...base, pass: true }, spec.severity);
  }
  try {
    JSON.parse(t.text);
    return withSeverity({ ...base, pass: true }, spec.severity);
  } catch (err) {
    return withSeverity({ ...base, pass: false, errors: [`not valid JSON (${err instanceof Error ? err.message : String(err)})`] }, spec.severity);
  }
};
