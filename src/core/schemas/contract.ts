/**
 * Gate contracts (`<G>.contract.json`), in the Orchestration Runner's format (FORMATS.md §001),
 * plus the validation types its users added later. Unknown keys are kept (`notes`, `heuristic`,
 * `configurable`, ...).
 */
import * as z from 'zod';
import { lazySchema } from '../lazy-schema.js';

export const OutputSpecSchema = lazySchema(() => z.looseObject({
  path: z.string().min(1),
  description: z.string().optional(),
  required: z.boolean().optional(),
  required_for_depth: z.array(z.string()).optional(),
  optional_for_depth: z.array(z.string()).optional(),
}));
export type OutputSpec = z.infer<typeof OutputSpecSchema>;

export const SeveritySchema = lazySchema(() => z.enum(['error', 'warning']));

const base = {
  target: z.string().optional(),
  description: z.string().optional(),
  severity: SeveritySchema.optional(),
};

const pathTarget = { ...base, target: z.string().min(1) };

export const ValidationSpecSchema = lazySchema(() => z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('file_exists'), ...base }),
  z.looseObject({
    type: z.literal('min_sources'),
    ...pathTarget,
    thresholds: z.record(z.string(), z.number()).optional(),
    heuristic: z.string().optional(),
  }),
  z.looseObject({ type: z.literal('contains_headings'), ...pathTarget, required_headings: z.array(z.string()) }),
  z.looseObject({ type: z.literal('not_contains'), ...pathTarget, pattern: z.string(), configurable: z.boolean().optional() }),
  z.looseObject({ type: z.literal('dir_exists'), ...pathTarget }),
  z.looseObject({
    type: z.literal('min_file_count'),
    ...pathTarget,
    min: z.number().int().nonnegative(),
    pattern: z.string().optional(),
    recursive: z.boolean().optional(),
  }),
  z.looseObject({
    type: z.literal('contains_text'),
    ...pathTarget,
    text: z.union([z.string(), z.array(z.string()).min(1)]),
  }),
  z.looseObject({ type: z.literal('regex_match'), ...pathTarget, pattern: z.string(), flags: z.string().regex(/^[imsu]*$/).optional() }),
  z.looseObject({
    type: z.literal('min_regex_count'),
    ...pathTarget,
    pattern: z.string(),
    min: z.number().int().nonnegative(),
    flags: z.string().regex(/^[imsu]*$/).optional(),
  }),
  z.looseObject({
    type: z.literal('json_schema'),
    ...pathTarget,
    schema: z.record(z.string(), z.unknown()).optional(),
    schema_path: z.string().optional(),
  }),
  z.looseObject({ type: z.literal('non_empty'), ...pathTarget }),
  /** The file parses as JSON (or, for `.jsonl`, every non-empty line does). */
  z.looseObject({ type: z.literal('json_valid'), ...pathTarget }),
  /**
   * A count equals `expected` (a number, or a template such as "{agents}"): with `pattern`, the
   * regex matches in the text; for `.jsonl` (or `lines: true`), the non-empty lines; otherwise
   * the items of the JSON array (or keys of the object) at `json_path` (dot path; default root).
   */
  z.looseObject({
    type: z.literal('count_equals'),
    ...pathTarget,
    expected: z.union([z.number().int().nonnegative(), z.string().min(1)]),
    json_path: z.string().optional(),
    pattern: z.string().optional(),
    flags: z.string().regex(/^[imsu]*$/).optional(),
    lines: z.boolean().optional(),
  }),
  z.looseObject({ type: z.literal('sha256'), ...pathTarget, expected: z.string().regex(/^[0-9a-fA-F]{64}$/) }),
  z.looseObject({
    type: z.literal('command'),
    ...base,
    argv: z.array(z.string()).min(1),
    timeout_s: z.number().positive().optional(),
    cwd: z.string().optional(),
  }),
]));
export type ValidationSpec = z.infer<typeof ValidationSpecSchema>;
export type ValidationType = ValidationSpec['type'];
export type ValidationOf<T extends ValidationType> = Extract<ValidationSpec, { type: T }>;

export const ContractSchema = lazySchema(() => z.looseObject({
  gate: z.string().min(1),
  name: z.string().optional(),
  blocking: z.boolean().optional(),
  description: z.string().optional(),
  required_outputs: z
    .looseObject({
      any_of: z.array(OutputSpecSchema).optional(),
      all_of: z.array(OutputSpecSchema).optional(),
    })
    .optional(),
  validations: z.array(ValidationSpecSchema).optional(),
  notes: z.string().optional(),
}));
export type Contract = z.infer<typeof ContractSchema>;
