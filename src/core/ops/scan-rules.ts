/**
 * Scan's decisions, pure: the harness's exact rules for file names, instance ids, seeds, status and
 * order (FORMATS.md §000), plus runr's fixes (both temp names; a glob `--run-id` resolved per file).
 */
import type { PyDict, PyValue } from './pyvalue.js';
import { pyEquals, pyGet } from './pyvalue.js';
import { pyStr } from './pyrepr.js';
import { compareCodePoints } from './pyjson-dumps.js';
import { fnmatchToRegExp, hasGlobMagic } from './fnmatch.js';
import type { Candidate, ScanStatus } from './types.js';

export const FINAL_SUFFIX = '.run.json';

/**
 * The temp siblings of `X.run.json`: `X.run.run.json.tmp` is what the harness really writes
 * (Python's `with_suffix(".run.json.tmp")` replaces only `.json`); `X.run.json.tmp` is the name
 * its docs promise. Both are recognised.
 */
export function tmpNamesFor(finalName: string): [string, string] {
  return [`${finalName.slice(0, -'.json'.length)}.run.json.tmp`, `${finalName}.tmp`];
}

/** The final envelope name a temp file belongs to, or null if it is not an envelope temp file. */
export function finalNameForTmp(tmpName: string): string | null {
  if (tmpName.endsWith('.run.run.json.tmp')) return `${tmpName.slice(0, -'.run.json.tmp'.length)}.json`;
  if (tmpName.endsWith('.run.json.tmp')) return tmpName.slice(0, -'.tmp'.length);
  return null;
}

/** Matches final envelope names for a `--run-id` (itself a glob, as in the harness). */
export function envelopeMatcher(runIdPattern: string): RegExp {
  return fnmatchToRegExp(`${runIdPattern}__*${FINAL_SUFFIX}`);
}

/**
 * The run id a file belongs to. Without glob characters it is `--run-id` itself (the harness's
 * behaviour). With them the harness kept the pattern, so the instance id swallowed the whole name
 * and the log lookup missed; runr uses the envelope's own `run_id` when it fits, else the shortest
 * `__`-separated prefix that matches the pattern.
 */
export function concreteRunId(fileName: string, runIdPattern: string, envelopeRunId: PyValue): string {
  if (!hasGlobMagic(runIdPattern)) return runIdPattern;
  const re = fnmatchToRegExp(runIdPattern);
  if (typeof envelopeRunId === 'string' && fileName.startsWith(`${envelopeRunId}__`) && re.test(envelopeRunId)) return envelopeRunId;
  let at = fileName.indexOf('__');
  while (at !== -1) {
    const prefix = fileName.slice(0, at);
    if (re.test(prefix)) return prefix;
    at = fileName.indexOf('__', at + 1);
  }
  return runIdPattern;
}

/** `run_path.name.replace(f"{run_id}__", "").replace(".run.json", "")` — every occurrence, as Python's replace does. */
export function instanceIdOf(fileName: string, runId: string): string {
  return fileName.replaceAll(`${runId}__`, '').replaceAll(FINAL_SUFFIX, '');
}

/** Python `int(text)`: surrounding whitespace, a sign, digits with single `_` between them. */
export function pyIntOrNull(text: string): number | null {
  // eslint-disable-next-line no-control-regex -- U+001C..U+001F are whitespace to Python's int()
  const m = /^[\s\x1c-\x1f\x85]*([+-]?)((?:\p{Nd}(?:_?\p{Nd})*))[\s\x1c-\x1f\x85]*$/u.exec(text);
  if (!m) return null;
  let digits = '';
  for (const ch of (m[2] as string).replaceAll('_', '')) digits += String(ndDigitValue(ch.codePointAt(0) as number));
  const v = Number(digits);
  return m[1] === '-' ? -v : v;
}

const ND = /\p{Nd}/u;

/** The value of a Unicode decimal digit: digits come in runs of ten starting at zero. */
function ndDigitValue(cp: number): number {
  if (cp >= 0x30 && cp <= 0x39) return cp - 0x30;
  let start = cp;
  while (ND.test(String.fromCodePoint(start - 1))) start--;
  return (cp - start) % 10;
}

/** The seed: the int after the last `_seed`, else null. */
export function seedOf(instanceId: string): number | null {
  if (!instanceId.includes('_seed')) return null;
  const parts = instanceId.split('_seed');
  return pyIntOrNull(parts[parts.length - 1] as string);
}

/** active if a temp sibling exists; else incomplete unless exit is normal and all cases completed. */
export function statusOf(hasTmp: boolean, envelope: PyDict): ScanStatus {
  if (hasTmp) return 'active';
  if (!pyEquals(pyGet(envelope, 'exit_status'), 'normal')) return 'incomplete';
  if (!pyEquals(pyGet(envelope, 'total_cases_completed'), pyGet(envelope, 'total_cases_expected'))) return 'incomplete';
  return 'complete';
}

/** Exact `model_id` match, as the harness does (a non-string model id never matches). */
export function modelMatches(envelope: PyDict, models: ReadonlySet<string> | null): boolean {
  if (models === null) return true;
  const m = pyGet(envelope, 'model_id', '');
  return typeof m === 'string' && models.has(m);
}

export function modelIdOf(envelope: PyDict): string {
  return pyStr(pyGet(envelope, 'model_id', ''));
}

/** Sort by (model_id, instance_id), comparing strings by code point as Python does. */
export function sortCandidates(cands: Candidate[]): Candidate[] {
  return [...cands].sort((a, b) => compareCodePoints(a.model_id, b.model_id) || compareCodePoints(a.instance_id, b.instance_id));
}
