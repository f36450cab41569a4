/**
 * `failure_reason` strings, kept identical to the Orchestration Runner's because users grep their
 * records: `Missing: <tpl>`, `None of required files exist: a, b`, `Insufficient sources: c/t
 * (depth: d)`, `Missing headings: h1, h2`, `Found forbidden pattern: p`, otherwise the description.
 */
import type { ValidationResult } from '../schemas/run.js';

const str = (v: unknown): string => (typeof v === 'string' ? v : String(v));
const list = (v: unknown): string => (Array.isArray(v) ? v.map(str).join(', ') : '');

export function reasonFor(r: ValidationResult): string {
  if (r.error === 'path_escapes_repository') return `Path escapes repository: ${str(r.path)}`;
  if (r.missing_file === true) return `Missing: ${str(r.path)}`;
  switch (r.type) {
    case 'file_exists':
      return `Missing: ${str(r.path)}`;
    case 'file_exists_any_of':
      return `None of required files exist: ${Array.isArray(r.checked) ? r.checked.map((c: { path?: unknown }) => str(c.path)).join(', ') : ''}`;
    case 'min_sources':
      return `Insufficient sources: ${str(r.count)}/${str(r.threshold)} (depth: ${str(r.depth)})`;
    case 'contains_headings':
      return `Missing headings: ${list(r.missing)}`;
    case 'not_contains':
      return `Found forbidden pattern: ${str(r.pattern)}`;
    case 'dir_exists':
      return `Missing directory: ${str(r.path)}`;
    case 'min_file_count':
      return `Too few files: ${str(r.count)}/${str(r.min)} in ${str(r.path)}`;
    case 'contains_text':
      return `Missing text: ${list(r.missing)}`;
    case 'regex_match':
      return `No match for /${str(r.pattern)}/ in ${str(r.path)}`;
    case 'min_regex_count':
      return `Too few matches of /${str(r.pattern)}/: ${str(r.count)}/${str(r.min)} in ${str(r.path)}`;
    case 'json_schema':
      return `Schema violations in ${str(r.path)}: ${list(r.errors)}`;
    case 'non_empty':
      return `Empty: ${str(r.path)}`;
    case 'sha256':
      return `Hash mismatch: ${str(r.path)}`;
    case 'command':
      return `Command failed: ${Array.isArray(r.argv) ? r.argv.map(str).join(' ') : ''} (${str(r.outcome)})`;
    default:
      return r.description ?? `${r.type} failed`;
  }
}

/** Join the failures with "; " (null when everything passed). */
export function failureReason(results: readonly ValidationResult[]): string | null {
  const failed = results.filter((r) => !r.pass);
  return failed.length === 0 ? null : failed.map(reasonFor).join('; ');
}

/** Required flag: `required !== false` by default; `required_for_depth` membership decides;
 * `optional_for_depth` membership forces false. */
export function isRequired(o: { required?: boolean; required_for_depth?: string[]; optional_for_depth?: string[] }, depth: string): boolean {
  let req = o.required !== false;
  if (o.required_for_depth) req = o.required_for_depth.includes(depth);
  if (o.optional_for_depth?.includes(depth)) req = false;
  return req;
}

/** The `min_sources` heuristic: `### Source` headings (case-insensitive, multiline), else unique URLs. */
export function countSources(text: string): number {
  const headings = text.match(/^###\s+Source/gim);
  if (headings && headings.length > 0) return headings.length;
  const urls = text.match(/https?:\/\/[^\s)>\]]+/g) ?? [];
  return new Set(urls).size;
}
