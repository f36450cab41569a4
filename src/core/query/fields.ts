/**
 * The fields a query can name, and how each is read from a manifest entry.
 *
 * Top-level names map to entry keys (`started_at` reads `start_time`, the original manifest's
 * name). `params.*`, `metrics.*` and `tags.*` read into the entry's maps: `params.a.b` is the key
 * "a.b" if the map has it, else the nested value params.a.b.
 */
import type { ManifestEntry } from '../manifest/entry.js';
import { timeValueMs } from './dates.js';

/** How literals are interpreted against a field: times compare as instants. */
export type FieldType = 'text' | 'number' | 'time' | 'any';
export type FieldGroup = 'params' | 'metrics' | 'tags';

export interface FieldRef {
  /** The field as written (for messages and output columns). */
  text: string;
  /** Canonical name: `status`, `started_at`, `params.seed`, … */
  name: string;
  type: FieldType;
  get: (e: ManifestEntry) => unknown;
  /** For params/metrics/tags: the group and key path; used by the line prefilter. */
  group: FieldGroup | null;
  segments: string[];
  start: number;
  end: number;
}

interface TopField {
  type: FieldType;
  get: (e: ManifestEntry) => unknown;
  /** Entry key holding the value (null for derived fields). */
  key: keyof ManifestEntry | null;
}

function durationSeconds(e: ManifestEntry): number | null {
  if (e.start_time === null || e.end_time === null) return null;
  const a = timeValueMs(e.start_time);
  const b = timeValueMs(e.end_time);
  if (Number.isNaN(a) || Number.isNaN(b)) return null;
  return (b - a) / 1000;
}

export const TOP_FIELDS: Readonly<Record<string, TopField>> = {
  run_id: { type: 'text', key: 'run_id', get: (e) => e.run_id },
  status: { type: 'text', key: 'status', get: (e) => e.status },
  kind: { type: 'text', key: 'kind', get: (e) => e.kind },
  workflow: { type: 'text', key: 'workflow', get: (e) => e.workflow },
  framework: { type: 'text', key: 'framework', get: (e) => e.framework },
  path: { type: 'text', key: 'path', get: (e) => e.path },
  stop_reason: { type: 'text', key: 'stop_reason', get: (e) => e.stop_reason },
  verification_status: { type: 'text', key: 'verification_status', get: (e) => e.verification_status },
  started_at: { type: 'time', key: 'start_time', get: (e) => e.start_time },
  ended_at: { type: 'time', key: 'end_time', get: (e) => e.end_time },
  start_time: { type: 'time', key: 'start_time', get: (e) => e.start_time },
  end_time: { type: 'time', key: 'end_time', get: (e) => e.end_time },
  duration_s: { type: 'number', key: null, get: durationSeconds },
  total_tokens_in: { type: 'number', key: 'total_tokens_in', get: (e) => e.total_tokens_in },
  total_tokens_out: { type: 'number', key: 'total_tokens_out', get: (e) => e.total_tokens_out },
  total_tokens: { type: 'number', key: null, get: (e) => (e.total_tokens_in ?? 0) + (e.total_tokens_out ?? 0) },
};

export const FIELD_GROUPS: readonly FieldGroup[] = ['params', 'metrics', 'tags'];

/** Own property only: `params.constructor` must not find Object.prototype.constructor. */
function own(obj: unknown, key: string): unknown {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return undefined;
  return Object.hasOwn(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;
}

export function groupGetter(group: FieldGroup, segments: string[]): (e: ManifestEntry) => unknown {
  const first = segments[0] ?? '';
  if (segments.length === 1) return (e) => own(e[group], first);
  const joined = segments.join('.');
  return (e) => {
    const map = e[group];
    const flat = own(map, joined);
    if (flat !== undefined) return flat;
    let v: unknown = map;
    for (const s of segments) {
      v = own(v, s);
      if (v === undefined) return undefined;
    }
    return v;
  };
}

export type ResolveResult = { ok: true; field: Omit<FieldRef, 'start' | 'end' | 'text'> } | { ok: false; problem: string };

export function resolveField(segments: string[]): ResolveResult {
  const head = segments[0] ?? '';
  if ((FIELD_GROUPS as readonly string[]).includes(head)) {
    const group = head as FieldGroup;
    const rest = segments.slice(1);
    if (rest.length === 0) return { ok: false, problem: `${group} needs a key: ${group}.<name> (backticks for odd names: ${group}.\`my key\`)` };
    return {
      ok: true,
      field: { name: `${group}.${rest.join('.')}`, type: group === 'tags' ? 'text' : 'any', get: groupGetter(group, rest), group, segments: rest },
    };
  }
  const top = TOP_FIELDS[head];
  if (top !== undefined && Object.hasOwn(TOP_FIELDS, head)) {
    if (segments.length > 1) return { ok: false, problem: `${head} has no sub-fields` };
    return { ok: true, field: { name: head, type: top.type, get: top.get, group: null, segments: [head] } };
  }
  return { ok: false, problem: `unknown field '${segments.join('.')}' (fields: ${Object.keys(TOP_FIELDS).join(', ')}, params.*, metrics.*, tags.*)` };
}

/** The entry key a top-level field reads (for the line prefilter), or null. */
export function topFieldKey(name: string): keyof ManifestEntry | null {
  return Object.hasOwn(TOP_FIELDS, name) ? (TOP_FIELDS[name]?.key ?? null) : null;
}
