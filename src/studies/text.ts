/** Strict reads: UTF-8 that does not decode is an error naming the file; YAML errors name the line. */
import fs from 'node:fs';
import { UserError, ValidationError } from '../core/errors.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

export function readStrictText(abs: string, display: string): string {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`${display}: file not found`);
    if (code === 'EISDIR') throw new UserError(`${display}: is a directory, expected a file`);
    throw err;
  }
  try {
    return decoder.decode(buf);
  } catch {
    throw new ValidationError(display, '', 'not valid UTF-8');
  }
}

export async function parseYamlText(text: string, display: string): Promise<unknown> {
  const { parseDocument } = await import('yaml');
  const doc = parseDocument(text, { uniqueKeys: true });
  const e = doc.errors[0];
  if (e !== undefined) {
    const line = e.linePos?.[0]?.line;
    throw new ValidationError(display, line !== undefined ? `line ${line}` : '', `not valid YAML (${e.message.split('\n')[0] ?? ''})`);
  }
  return doc.toJS() as unknown;
}

export async function stringifyYaml(value: unknown): Promise<string> {
  const { stringify } = await import('yaml');
  return stringify(value, { lineWidth: 0 });
}
