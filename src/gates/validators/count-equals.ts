import type { ValidationOf } from '../../core/schemas/contract.js';
import { substitute } from '../../core/template.js';
import type { Validator } from './common.js';
import { desc, readTarget, withSeverity } from './common.js';

function at(value: unknown, dotPath: string | undefined): unknown {
  if (dotPath === undefined || dotPath === '') return value;
  let cur = value;
  for (const part of dotPath.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Count items, lines or regex matches in a file and compare with `expected` (e.g. requested vs generated agents). */
export const countEquals: Validator<ValidationOf<'count_equals'>> = (spec, ctx) => {
  const t = readTarget(spec.type, spec.target, ctx, spec.description);
  if ('fail' in t) return t.fail;
  const base = { type: spec.type, path: spec.target, ...desc(spec.description) };
  if (t.text === null) return withSeverity({ ...base, pass: false, missing_file: true }, spec.severity);
  const expectedText = typeof spec.expected === 'number' ? String(spec.expected) : substitute(spec.expected, ctx.vars).value;
  const expected = Number(expectedText);
  if (!Number.isInteger(expected)) return withSeverity({ ...base, pass: false, errors: [`expected is not an integer: ${JSON.stringify(expectedText)}`] }, spec.severity);
  let count: number;
  if (spec.pattern !== undefined) {
    let re: RegExp;
    try {
      re = new RegExp(spec.pattern, `g${spec.flags ?? ''}`);
    } catch {
      return withSeverity({ ...base, pass: false, errors: [`invalid pattern: ${spec.pattern}`] }, spec.severity);
    }
    count = [...t.text.matchAll(re)].length;
  } else if (spec.lines === true || /\.jsonl$/i.test(t.abs)) {
    count = t.text.split('\n').filter((l) => l.trim() !== '').length;
  } else {
    let data: unknown;
    try {
      data = JSON.parse(t.text) as unknown;
    } catch {
      return withSeverity({ ...base, pass: false, errors: ['not valid JSON'] }, spec.severity);
    }
    const v = at(data, spec.json_path);
    if (Array.isArray(v)) count = v.length;
    else if (v !== null && typeof v === 'object') count = Object.keys(v).length;
    else return withSeverity({ ...base, pass: false, errors: [`${spec.json_path ?? '(root)'} is not an array or object`] }, spec.severity);
  }
  return withSeverity({ ...base, expected, count, pass: count === expected }, spec.severity);
};
