/** Read a JSON (or YAML) file and validate it with a schema; errors name the file and the field. */
import type { z } from 'zod';
import { ValidationError } from '../core/errors.js';
import { formatZodIssue } from '../core/zod-format.js';
import type { RunRecord } from '../core/schemas/run.js';
import { RunRecordSchema } from '../core/schemas/run.js';
import { fastRunRecord } from '../core/schemas/run-fast.js';
import { MAX_JSON_DEPTH, jsonTooDeep, parseStrictJson, readStrictText } from './strict-read.js';

export function parseWithSchema<S extends z.ZodType>(schema: S, raw: unknown, displayPath: string): z.infer<S> {
  const r = schema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    if (!issue) throw new ValidationError(displayPath, '', 'invalid');
    const { field, problem } = formatZodIssue(issue, raw);
    throw new ValidationError(displayPath, field, problem);
  }
  return r.data;
}

/** Strict: file type checked before opening, size cap, strict UTF-8, no NUL (store/strict-read.ts). */
export function readTextFile(file: string, displayPath: string): string {
  return readStrictText(file, displayPath);
}

export function parseJsonText(text: string, displayPath: string): unknown {
  return parseStrictJson(text, displayPath);
}

/** A RUN.json's contents as a run record: the fast check when plainly valid, else zod (its errors). */
export function parseRunRecord(raw: unknown, displayPath: string): RunRecord {
  return fastRunRecord(raw) ?? parseWithSchema(RunRecordSchema, raw, displayPath);
}

export function readJsonFile<S extends z.ZodType>(file: string, schema: S, displayPath = file): z.infer<S> {
  return parseWithSchema(schema, parseJsonText(readTextFile(file, displayPath), displayPath), displayPath);
}

/**
 * YAML, loaded lazily (most commands never need the parser). Strict: an error names its line, the
 * parser's warnings go into that one error line (never onto stderr), flow nesting is limited like
 * JSON's, and duplicate keys are errors.
 */
export async function parseYamlStrict(text: string, displayPath: string): Promise<unknown> {
  const deep = jsonTooDeep(text);
  if (deep >= 0) throw new ValidationError(displayPath, '', `nested deeper than ${MAX_JSON_DEPTH} levels (at character ${deep})`);
  const { parseDocument } = await import('yaml');
  const oneLine = (m: string) => m.split('\n')[0] ?? '';
  try {
    const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
    const e = doc.errors[0];
    const warnings = doc.warnings.map((w) => oneLine(w.message));
    if (e !== undefined) {
      const line = e.linePos?.[0]?.line ?? (e.pos[0] >= 0 ? text.slice(0, e.pos[0]).split('\n').length : undefined);
      const also = warnings.length > 0 ? `; warnings: ${warnings.join('; ')}` : '';
      throw new ValidationError(displayPath, line !== undefined ? `line ${line}` : '', `not valid YAML (${oneLine(e.message)})${also}`);
    }
    if (warnings.length > 0) throw new ValidationError(displayPath, '', `YAML warning: ${warnings.join('; ')}`);
    return doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (err) {
    if (err instanceof RangeError) throw new ValidationError(displayPath, '', 'nested too deeply to parse');
    if (err instanceof ValidationError) throw err;
    throw new ValidationError(displayPath, '', `not valid YAML (${oneLine(err instanceof Error ? err.message : String(err))})`);
  }
}

export async function readYamlOrJsonFile<S extends z.ZodType>(file: string, schema: S, displayPath = file): Promise<z.infer<S>> {
  const text = readTextFile(file, displayPath);
  if (/\.ya?ml$/i.test(file)) return parseWithSchema(schema, await parseYamlStrict(text, displayPath), displayPath);
  return parseWithSchema(schema, parseJsonText(text, displayPath), displayPath);
}
