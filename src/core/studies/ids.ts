/**
 * Study ids, exactly as the experiment operations document names them (seed 003, FORMATS §003):
 *   study      lowercase kebab-case                       austin-congestion-tax
 *   batch      bYYYYMMDD-HHMM-<intent>-vNN                b20260213-2140-baseline-v01
 *   variant    vr-<axis>-<value>-s<seed>                  vr-threshold-3-s42
 *   revisions  scn-vNN, cfg-vNN
 * Every id read from a flag or a file goes through one of the `check*` functions (problem text or
 * null) before it touches a path.
 */

export const STUDY_RE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const INTENT_RE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const BATCH_RE = /^b(\d{8})-(\d{4})-([a-z0-9]+(?:-[a-z0-9]+)*)-v(\d{2})$/;
/** `vr-` then axis/value tokens (lowercase, digits, `.`, `_`, `-`), then `-s<seed>`. */
export const VARIANT_RE = /^vr-[a-z0-9][a-z0-9._]*-[a-z0-9._-]*[a-z0-9]-s(\d+)$/;
export const SCN_RE = /^scn-v\d{2}$/;
export const CFG_RE = /^cfg-v\d{2}$/;
/** Override (axis) names: usable as `{name}` in templates and as YAML keys. */
export const AXIS_RE = /^[a-z][a-z0-9_]{0,39}$/;

export const SPEC_KINDS = ['pop', 'persona', 'network-config', 'scenario'] as const;
export type SpecKind = (typeof SPEC_KINDS)[number];

const MAX = 100;

export function checkStudy(s: string): string | null {
  if (s.length > MAX) return `too long (at most ${MAX} characters)`;
  return STUDY_RE.test(s) ? null : `expected a lowercase kebab-case study slug (e.g. austin-congestion-tax), got ${JSON.stringify(s)}`;
}

export function checkIntent(s: string): string | null {
  if (s.length > 40) return 'too long (at most 40 characters)';
  return INTENT_RE.test(s) ? null : `expected a lowercase kebab-case intent (e.g. baseline, threshold-sweep), got ${JSON.stringify(s)}`;
}

export function checkBatch(s: string): string | null {
  if (s.length > MAX) return `too long (at most ${MAX} characters)`;
  const m = BATCH_RE.exec(s);
  if (m === null) return `expected a batch id bYYYYMMDD-HHMM-<intent>-vNN (e.g. b20260213-2140-baseline-v01), got ${JSON.stringify(s)}`;
  const [d, t] = [m[1] ?? '', m[2] ?? ''];
  const month = Number(d.slice(4, 6));
  const day = Number(d.slice(6, 8));
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(t.slice(0, 2)) > 23 || Number(t.slice(2, 4)) > 59) return `not a real date and time in ${JSON.stringify(s)}`;
  return null;
}

export function checkVariant(s: string): string | null {
  if (s.length > MAX) return `too long (at most ${MAX} characters)`;
  return VARIANT_RE.test(s) ? null : `expected a variant id vr-<axis>-<value>-s<seed> (e.g. vr-threshold-3-s42), got ${JSON.stringify(s)}`;
}

export function checkScenarioRev(s: string): string | null {
  return SCN_RE.test(s) ? null : `expected scn-vNN (e.g. scn-v03), got ${JSON.stringify(s)}`;
}

export function checkConfigRev(s: string): string | null {
  return CFG_RE.test(s) ? null : `expected cfg-vNN (e.g. cfg-v05), got ${JSON.stringify(s)}`;
}

export function checkAxis(s: string): string | null {
  return AXIS_RE.test(s) ? null : `expected an override name (lowercase letters, digits, '_'; starting with a letter), got ${JSON.stringify(s)}`;
}

/** `bYYYYMMDD-HHMM-` from a UTC time. */
export function batchPrefix(now: Date): string {
  const iso = now.toISOString();
  return `b${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}`;
}

/** The intent and NN of a batch id (null when it is not one). */
export function parseBatch(id: string): { date: string; time: string; intent: string; nn: number } | null {
  const m = BATCH_RE.exec(id);
  if (m === null) return null;
  return { date: m[1] ?? '', time: m[2] ?? '', intent: m[3] ?? '', nn: Number(m[4]) };
}

/**
 * The next free NN for a study and intent, given the batch ids that exist: one more than the
 * highest used (whatever the date), starting at 01. NN has two digits, so 99 is the last.
 */
export function nextBatchNumber(existing: readonly string[], intent: string): number | null {
  let max = 0;
  for (const id of existing) {
    const p = parseBatch(id);
    if (p !== null && p.intent === intent) max = Math.max(max, p.nn);
  }
  return max >= 99 ? null : max + 1;
}

export function makeBatchId(now: Date, intent: string, nn: number): string {
  return `${batchPrefix(now)}-${intent}-v${String(nn).padStart(2, '0')}`;
}

/** A value as it appears in a variant id: lowercase, runs of other characters become `-`; a leading minus is `m`. */
export function idToken(value: string | number | boolean): string {
  const s = String(value).toLowerCase();
  const signed = s.startsWith('-') ? `m${s.slice(1)}` : s;
  const t = signed.replace(/[^a-z0-9._]+/g, '-').replace(/^-+|-+$/g, '');
  return t === '' ? 'x' : t;
}

/** `vr-<axis>-<value>[-<axis>-<value>...]-s<seed>`; the baseline (no overrides) is `vr-base-default-s<seed>`. */
export function makeVariantId(overrides: ReadonlyArray<readonly [string, string | number | boolean]>, seed: number): string {
  if (overrides.length === 0) return `vr-base-default-s${seed}`;
  return `vr-${overrides.map(([k, v]) => `${k}-${idToken(v)}`).join('-')}-s${seed}`;
}

/** Spec file names of the document; `nn` is the revision number. */
export function specFileName(study: string, kind: SpecKind, nn: number): string {
  const v = `v${String(nn).padStart(2, '0')}`;
  switch (kind) {
    case 'pop':
      return `${study}.pop-${v}.yaml`;
    case 'persona':
      return `${study}.persona-${v}.yaml`;
    case 'network-config':
      return `${study}.network-cfg-${v}.yaml`;
    case 'scenario':
      return `${study}.scn-${v}.scenario.yaml`;
  }
}

/** The highest revision number among spec file names of that kind (0 when none). */
export function lastSpecRevision(study: string, kind: SpecKind, names: readonly string[]): number {
  let max = 0;
  for (const n of names) {
    for (let nn = 1; nn <= 99; nn++) {
      if (n === specFileName(study, kind, nn)) max = Math.max(max, nn);
    }
  }
  return max;
}
