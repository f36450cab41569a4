/** Strict reads: UTF-8 that does not decode is an error naming the file; YAML errors name the line. */
import { parseYamlStrict } from '../store/read-json.js';
import { readStrictText as strictText } from '../store/strict-read.js';
import { cachedYaml } from './yaml-cache.js';

/** Strict reads go through the one strict reader (store/strict-read.ts). */
export function readStrictText(abs: string, display: string): string {
  return strictText(abs, display);
}

/** Strict YAML (store/read-json.ts); a text parsed before comes from the cache (yaml-cache.ts). */
export async function parseYamlText(text: string, display: string): Promise<unknown> {
  return cachedYaml(text, (t) => parseYamlStrict(t, display), process.env);
}

export async function stringifyYaml(value: unknown): Promise<string> {
  const { stringify } = await import('yaml');
  return stringify(value, { lineWidth: 0 });
}
