/**
 * Checking the data a page reads (pure, runs in the browser): the embedded `ViewData` and the
 * live messages. Type predicates, so the page narrows `unknown` to the model without a cast.
 *
 * What is checked: the envelope (version, title, scope, every field the page reads first), each
 * table row's fields as the manifest types them (the filter and the table read all of them),
 * each detail's kind and id, each batch's identity and its lists. Inside a detail or a batch the
 * fields are not checked one by one: the data and the code that reads it are written into the
 * same file by the same runr build (or pushed by the server that wrote the page), so a deeper
 * mismatch cannot arise from outside; a full walk would only add paint time at 10,000 runs
 * (bench/view.bench.mjs). Returns the problems; empty means the value has the shape.
 */
import type { ManifestEntry } from '../manifest/entry.js';
import type { RunDetail, ViewData } from './model.js';
import { VIEW_DATA_VERSION } from './model.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const strOrNull = (v: unknown) => v === null || typeof v === 'string';

const DETAIL_KINDS: ReadonlySet<string> = new Set(['workflow', 'task', 'ops']);

function entryProblems(v: unknown, at: string): string[] {
  if (!isObj(v)) return [`${at}: not an object`];
  const out: string[] = [];
  for (const k of ['run_id', 'framework', 'path', 'verification_status']) if (!isStr(v[k])) out.push(`${at}.${k}: not a string`);
  for (const k of ['start_time', 'end_time', 'kind', 'workflow', 'status', 'stop_reason']) if (!strOrNull(v[k])) out.push(`${at}.${k}: not a string or null`);
  for (const k of ['total_tokens_in', 'total_tokens_out']) if (typeof v[k] !== 'number') out.push(`${at}.${k}: not a number`);
  for (const k of ['params', 'metrics', 'tags']) if (!isObj(v[k])) out.push(`${at}.${k}: not an object`);
  return out;
}

export function isManifestEntry(v: unknown): v is ManifestEntry {
  return entryProblems(v, 'entry').length === 0;
}

function detailProblems(v: unknown, at: string): string[] {
  if (!isObj(v)) return [`${at}: not an object`];
  const out: string[] = [];
  if (!isStr(v.kind) || !DETAIL_KINDS.has(v.kind)) out.push(`${at}.kind: not one of workflow, task, ops`);
  if (!isStr(v.run_id)) out.push(`${at}.run_id: not a string`);
  if (!isStr(v.status)) out.push(`${at}.status: not a string`);
  return out;
}

/** The details element: run id → detail. */
export function detailsProblems(v: unknown): string[] {
  if (!isObj(v)) return ['the details are not an object'];
  return Object.entries(v)
    .flatMap(([id, d]) => detailProblems(d, `details[${id}]`))
    .slice(0, 20);
}

export function isDetails(v: unknown): v is Record<string, RunDetail> {
  return detailsProblems(v).length === 0;
}

export function isRunDetail(v: unknown): v is RunDetail {
  return detailProblems(v, 'detail').length === 0;
}

function batchProblems(v: unknown, at: string): string[] {
  if (!isObj(v)) return [`${at}: not an object`];
  const out: string[] = [];
  for (const k of ['study', 'batch_id', 'objective', 'batch_state']) if (!isStr(v[k])) out.push(`${at}.${k}: not a string`);
  for (const k of ['stages', 'metrics', 'variants', 'segments']) if (!Array.isArray(v[k])) out.push(`${at}.${k}: not a list`);
  if (!isObj(v.stability)) out.push(`${at}.stability: not an object`);
  if (v.comparison !== null && !isObj(v.comparison)) out.push(`${at}.comparison: not an object or null`);
  return out;
}

export function viewDataProblems(v: unknown): string[] {
  if (!isObj(v)) return ['the data is not an object'];
  const out: string[] = [];
  if (v.version !== VIEW_DATA_VERSION) out.push(`version ${String(v.version)}: this page reads version ${VIEW_DATA_VERSION}`);
  if (!isStr(v.title)) out.push('title: not a string');
  if (!isStr(v.generated_at)) out.push('generated_at: not a string');
  const scope = v.scope;
  if (!isObj(scope) || !isStr(scope.kind) || !strOrNull(scope.where) || !strOrNull(scope.run_id)) out.push('scope: not {kind, where, run_id}');
  if (typeof v.total_runs !== 'number') out.push('total_runs: not a number');
  if (!Array.isArray(v.runs)) out.push('runs: not a list');
  else v.runs.forEach((e, i) => out.push(...entryProblems(e, `runs[${i}]`)));
  if (!isObj(v.details)) out.push('details: not an object');
  else for (const [id, d] of Object.entries(v.details)) out.push(...detailProblems(d, `details[${id}]`));
  if (!Array.isArray(v.problems) || !v.problems.every((p) => isObj(p) && isStr(p.run_id) && isStr(p.message))) out.push('problems: not a list of {run_id, message}');
  if (v.live !== null && !(isObj(v.live) && isStr(v.live.events))) out.push('live: not {events} or null');
  if (!Array.isArray(v.batches)) out.push('batches: not a list');
  else v.batches.forEach((b, i) => out.push(...batchProblems(b, `batches[${i}]`)));
  return out.slice(0, 20);
}

export function isViewData(v: unknown): v is ViewData {
  return viewDataProblems(v).length === 0;
}
