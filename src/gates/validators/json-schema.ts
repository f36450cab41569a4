import type { ValidationOf } from '../../core/schemas/contract.js';
import { parseJsonText } from '../../store/read-json.js';
import { readIfFile, resolveTemplate } from '../context.js';
import type { Validator } from './common.js';
import { desc, readTarget, unresolved, withSeverity } from './common.js';

/** The file parses as JSON and satisfies a JSON Schema (inline `schema` or `schema_path`). */
export const jsonSchema: Validator<ValidationOf<'json_schema'>> = async (spec, ctx) => {
  const t = readTarget(spec.type, spec.target, ctx, spec.description);
  if ('fail' in t) return t.fail;
  const base = { type: spec.type, path: spec.target, ...desc(spec.description) };
  if (t.text === null) return withSeverity({ ...base, pass: false, missing_file: true }, spec.severity);
  let schema: unknown = spec.schema;
  if (spec.schema_path !== undefined) {
    const s = resolveTemplate(ctx, spec.schema_path);
    if (!s.ok) return unresolved(spec.type, s, spec.description);
    const text = readIfFile(s.abs);
    if (text === null) return withSeverity({ ...base, pass: false, errors: [`schema not found: ${spec.schema_path}`] }, spec.severity);
    try {
      schema = parseJsonText(text, spec.schema_path);
    } catch (err) {
      return withSeverity({ ...base, pass: false, errors: [err instanceof Error ? err.message : String(err)] }, spec.severity);
    }
  }
  let data: unknown;
  try {
    data = JSON.parse(t.text) as unknown;
  } catch {
    return withSeverity({ ...base, pass: false, errors: ['not valid JSON'] }, spec.severity);
  }
  const { Ajv } = await import('ajv');
  const ajv = new Ajv({ allErrors: true, strict: false });
  let validate;
  try {
    validate = ajv.compile((schema ?? {}) as object);
  } catch (err) {
    return withSeverity({ ...base, pass: false, errors: [`invalid schema: ${err instanceof Error ? err.message : String(err)}`] }, spec.severity);
  }
  const ok = validate(data);
  const errors = ok ? [] : (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath === '' ? '(root)' : e.instancePath} ${e.message ?? 'invalid'}`);
  return withSeverity({ ...base, pass: ok, errors }, spec.severity);
};
