/**
 * Run ids keep the Orchestration Runner's real format, milliseconds included:
 *   run_<yyyymmddThhmmssmmmZ>_<slug>_<6 base36>
 * e.g. run_20260119T222303959Z_the-word-robot_uc2s1f.
 * Any id coming from the command line goes through `validateRunIdArg` before it touches a path.
 */
import { UserError } from './errors.js';

export const RUN_ID_RE = /^run_(\d{8}T\d{6}\d{3}Z)_([a-z0-9][a-z0-9._-]{0,79})_([a-z0-9]{6})$/;
/** Ids of runs written by other tools that we may still list (seconds-only timestamps, etc.). */
const LOOSE_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
export const SLUG_RE = /^[a-z0-9][a-z0-9._-]{0,79}$/;

/** ISO time without `-`, `:` and `.`: 2026-01-19T22:23:03.959Z -> 20260119T222303959Z. */
export function compactTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:.]/g, '');
}

export function parseRunIdTime(runId: string): Date | null {
  const m = RUN_ID_RE.exec(runId);
  if (!m?.[1]) return null;
  const s = m[1];
  const iso = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}.${s.slice(15, 18)}Z`;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Turn free text into a slug usable in a run id. */
export function slugify(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-._]+|[-._]+$/g, '')
    .slice(0, 60);
  return s === '' ? 'run' : s;
}

export function validateSlug(slug: string, flag = '--slug'): string {
  if (!SLUG_RE.test(slug)) {
    throw new UserError(
      `${flag}: invalid slug ${JSON.stringify(slug)} (use lowercase letters, digits, '.', '_' or '-', at most 80 characters)`,
    );
  }
  return slug;
}

/** `random` returns 6 base36 characters; injected so ids are testable. */
export function makeRunId(slug: string, now: Date, random: () => string): string {
  const suffix = random();
  if (!/^[a-z0-9]{6}$/.test(suffix)) throw new UserError(`internal: bad random suffix ${suffix}`);
  return `run_${compactTimestamp(now)}_${slug}_${suffix}`;
}

export function isRunId(s: string): boolean {
  return RUN_ID_RE.test(s);
}

/**
 * Validate an id-like argument before it is used anywhere near a path: no separators, no `..`,
 * nothing but a conservative character set. Prefixes and `latest` are allowed here; resolution to a
 * real directory happens in the store.
 */
export function validateRunIdArg(arg: string, flag = '--run'): string {
  if (arg === '') throw new UserError(`${flag}: run id is empty`);
  if (arg === 'latest') return arg;
  if (arg.includes('/') || arg.includes('\\') || arg.includes('\0') || arg === '.' || arg === '..' || arg.includes('..')) {
    throw new UserError(`${flag}: invalid run id ${JSON.stringify(arg)} (ids never contain '/', '\\' or '..')`);
  }
  if (!LOOSE_ID_RE.test(arg)) {
    throw new UserError(`${flag}: invalid run id ${JSON.stringify(arg)} (letters, digits, '.', '_' and '-' only)`);
  }
  return arg;
}

/** The Orchestration Runner's invocation id: inv_<Date.now()>_<4 base36>. */
export function makeInvocationId(nowMs: number, random4: string): string {
  return `inv_${nowMs}_${random4}`;
}
