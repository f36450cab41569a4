/** Turn a zod issue into `field` + `problem` for one-line error messages. */
import type { z } from 'zod';

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out;
}

/** The value at `path` inside `raw` (for "got ..." in messages). */
export function valueAt(raw: unknown, path: ReadonlyArray<PropertyKey>): { found: boolean; value: unknown } {
  let cur: unknown = raw;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object' || !(String(p) in cur)) return { found: false, value: undefined };
    cur = (cur as Record<string, unknown>)[String(p)];
  }
  return { found: true, value: cur };
}

function describeGot(v: unknown): string {
  let s: string | undefined;
  try {
    s = JSON.stringify(v);
  } catch {
    return Array.isArray(v) ? 'an array' : typeof v; // too deep (or cyclic) to show
  }
  return s === undefined ? String(v) : s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

export function formatZodIssue(issue: z.core.$ZodIssue, raw?: unknown): { field: string; problem: string } {
  const field = formatPath(issue.path);
  let problem = issue.message.replace(/^Invalid input: /, '');
  const at = raw === undefined ? { found: false, value: undefined } : valueAt(raw, issue.path);
  if (issue.code === 'invalid_type') {
    problem = `expected ${issue.expected === 'array' ? 'an array' : issue.expected === 'object' ? 'an object' : `a ${issue.expected}`}, ${at.found ? `got ${describeGot(at.value)}` : 'got nothing'}`;
  } else if (issue.code === 'invalid_union' && at.found && issue.path[issue.path.length - 1] === 'type') {
    problem = `unknown type ${describeGot(at.value)}`;
  }
  return { field, problem };
}
