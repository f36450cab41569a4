/**
 * A light per-entry check for the read path (zod per entry costs too much at 100,000 runs): the
 * fields runr relies on must have the right types; absent optional fields get the original's
 * defaults. Unknown keys are kept after runr's own.
 */
import type { ManifestEntry } from './entry.js';
import { ENTRY_KEYS, normalizeTime } from './entry.js';

export type EntryCheck = { ok: true; entry: ManifestEntry } | { ok: false; field: string; problem: string };

const KNOWN: ReadonlySet<string> = new Set(ENTRY_KEYS);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const bad = (field: string, problem: string): EntryCheck => ({ ok: false, field, problem });

function optText(raw: Record<string, unknown>, key: string): string | null | undefined {
  const v = raw[key];
  if (v === undefined || v === null) return null;
  return typeof v === 'string' ? v : undefined;
}

function count(raw: Record<string, unknown>, key: string): number | undefined {
  const v = raw[key];
  if (v === undefined || v === null) return 0;
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}

export function checkEntry(raw: unknown): EntryCheck {
  if (!isPlainObject(raw)) return bad('', 'expected an object');
  const { run_id, framework } = raw;
  if (typeof run_id !== 'string' || run_id === '') return bad('run_id', 'expected a non-empty string');
  if (typeof framework !== 'string' || framework === '') return bad('framework', 'expected a non-empty string');
  const path = raw.path ?? `${framework}/${run_id}`;
  if (typeof path !== 'string') return bad('path', 'expected a string');
  for (const k of ['start_time', 'end_time'] as const) {
    const v = raw[k];
    if (v !== undefined && v !== null && typeof v !== 'string' && typeof v !== 'number') return bad(k, 'expected an ISO time, epoch seconds or null');
  }
  const verification = raw.verification_status ?? 'pending';
  if (typeof verification !== 'string') return bad('verification_status', 'expected a string');
  const tin = count(raw, 'total_tokens_in');
  if (tin === undefined) return bad('total_tokens_in', 'expected a non-negative number');
  const tout = count(raw, 'total_tokens_out');
  if (tout === undefined) return bad('total_tokens_out', 'expected a non-negative number');
  const texts: Array<string | null> = [];
  for (const k of ['kind', 'workflow', 'status', 'stop_reason'] as const) {
    const v = optText(raw, k);
    if (v === undefined) return bad(k, 'expected a string or null');
    texts.push(v);
  }
  const maps: Array<Record<string, unknown>> = [];
  for (const k of ['params', 'metrics', 'tags'] as const) {
    const v = raw[k] ?? {};
    if (!isPlainObject(v)) return bad(k, 'expected an object');
    maps.push(v);
  }
  const tags = maps[2] as Record<string, unknown>;
  for (const key in tags) {
    if (Object.hasOwn(tags, key) && typeof tags[key] !== 'string') return bad(`tags.${key}`, 'expected a string');
  }
  const entry: ManifestEntry = {
    run_id,
    framework,
    path,
    start_time: normalizeTime(raw.start_time),
    end_time: normalizeTime(raw.end_time),
    verification_status: verification,
    total_tokens_in: tin,
    total_tokens_out: tout,
    kind: texts[0] ?? null,
    workflow: texts[1] ?? null,
    status: texts[2] ?? null,
    stop_reason: texts[3] ?? null,
    params: maps[0] as Record<string, unknown>,
    metrics: maps[1] as Record<string, unknown>,
    tags: tags as Record<string, string>,
  };
  for (const key in raw) {
    if (Object.hasOwn(raw, key) && !KNOWN.has(key)) entry[key] = raw[key];
  }
  return { ok: true, entry };
}
