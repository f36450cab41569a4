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

export function formatZodIssue(issue: z.core.$ZodIssue): { field: string; problem: string } {
  const field = formatPath(issue.path);
  let problem = issue.message;
  if (issue.code === 'invalid_type') {
    problem = `expected ${issue.expected}${'input' in issue && issue.input === undefined ? ', got nothing' : ''}`;
  }
  return { field, problem };
}
