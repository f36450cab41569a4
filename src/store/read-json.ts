/** Read a JSON (or YAML) file and validate it with a schema; errors name the file and the field. */
import fs from 'node:fs';
import type { z } from 'zod';
import { UserError, ValidationError } from '../core/errors.js';
import { formatZodIssue } from '../core/zod-format.js';

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

export function readTextFile(file: string, displayPath: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`${displayPath}: file not found`, 'file_not_found');
    if (code === 'EISDIR') throw new UserError(`${displayPath}: is a directory, expected a file`);
    if (code === 'EACCES') throw new UserError(`${displayPath}: permission denied`);
    throw err;
  }
}

export function parseJsonText(text: string, displayPath: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new ValidationError(displayPath, '', `not valid JSON (${msg})`);
  }
}

export function readJsonFile<S extends z.ZodType>(file: string, schema: S, displayPath = file): z.infer<S> {
  return parseWithSchema(schema, parseJsonText(readTextFile(file, displayPath), displayPath), displayPath);
}

/** YAML is loaded lazily: most commands never need the parser. */
export async function readYamlOrJsonFile<S extends z.ZodType>(file: string, schema: S, displayPath = file): Promise<z.infer<S>> {
  const text = readTextFile(file, displayPath);
  if (/\.ya?ml$/i.test(file)) {
    const { parse } = await import('yaml');
    let raw: unknown;
    try {
      raw = parse(text) as unknown;
    } catch (err) {
      const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
      throw new ValidationError(displayPath, '', `not valid YAML (${msg})`);
    }
    return parseWithSchema(schema, raw, displayPath);
  }
  return parseWithSchema(schema, parseJsonText(text, displayPath), displayPath);
}
