/**
 * The first string (value or key) in a parsed JSON/YAML value that contains a NUL character: a
 * NUL reaching a path, an argv entry or an environment variable makes node throw
 * ERR_INVALID_ARG_VALUE, so config files refuse it by field (issue 9).
 */
import { formatPath } from './zod-format.js';

export function firstNulString(value: unknown, at: PropertyKey[] = [], depth = 0): { field: string; offset: number } | null {
  if (typeof value === 'string') {
    const i = value.indexOf('\0');
    return i >= 0 ? { field: formatPath(at), offset: i } : null;
  }
  if (value === null || typeof value !== 'object' || depth > 512) return null;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const hit = firstNulString(v, [...at, i], depth + 1);
      if (hit !== null) return hit;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    if (k.includes('\0')) return { field: formatPath([...at, k]), offset: k.indexOf('\0') };
    const hit = firstNulString(v, [...at, k], depth + 1);
    if (hit !== null) return hit;
  }
  return null;
}
