/** Every validation type and its validator, exhaustive over the closed union. */
import type { ValidationOf, ValidationType } from '../../core/schemas/contract.js';
import type { ValidationResult } from '../../core/schemas/run.js';
import type { GateContext } from '../context.js';
import { command } from './command.js';
import type { Validator } from './common.js';
import { containsHeadings } from './contains-headings.js';
import { containsText } from './contains-text.js';
import { dirExists } from './dir-exists.js';
import { jsonSchema } from './json-schema.js';
import { minFileCount } from './min-file-count.js';
import { minSources } from './min-sources.js';
import { nonEmpty } from './non-empty.js';
import { notContains } from './not-contains.js';
import { minRegexCount, regexMatch } from './regex.js';
import { sha256 } from './sha256.js';
import { jsonValid } from './json-valid.js';
import { countEquals } from './count-equals.js';

/** `file_exists` entries are covered by the required outputs (as in the original), so it maps to null. */
export const VALIDATORS = {
  file_exists: null,
  min_sources: minSources,
  contains_headings: containsHeadings,
  not_contains: notContains,
  dir_exists: dirExists,
  min_file_count: minFileCount,
  contains_text: containsText,
  regex_match: regexMatch,
  min_regex_count: minRegexCount,
  json_schema: jsonSchema,
  non_empty: nonEmpty,
  sha256,
  command,
  json_valid: jsonValid,
  count_equals: countEquals,
} satisfies { [K in ValidationType]: Validator<ValidationOf<K>> | null };

export async function runValidation<T extends ValidationType>(spec: ValidationOf<T>, ctx: GateContext): Promise<ValidationResult | null> {
  const v = VALIDATORS[spec.type] as Validator<ValidationOf<T>> | null;
  return v === null ? null : await v(spec, ctx);
}
