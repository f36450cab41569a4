/**
 * File claims and their overlap (pure). A track's claim is what its active task may touch: its
 * `owns:` globs and `files_expected` (front matter and plan) — patterns — plus the files its branch
 * has changed so far — paths. Two claims overlap when a path of one matches a pattern of the other,
 * the same path appears in both, or two patterns can match a common path (judged conservatively by
 * their static prefixes: `src/auth/**` and `src/**` overlap, `src/a/**` and `docs/**` do not).
 */
import picomatch from 'picomatch';

export interface Claim {
  /** Patterns (globs or plain paths) the task declared. */
  patterns: readonly string[];
  /** Paths the track's branch changed (repository-relative). */
  changed: readonly string[];
}

const GLOB = /[*?[\]{}()!+@]/;

export function isGlob(p: string): boolean {
  return GLOB.test(p);
}

function clean(p: string): string {
  return p.replace(/^\.\//, '').replace(/\/+$/, '');
}

/** The literal directory prefix of a pattern (`src/auth/**` → `src/auth`). */
function staticBase(p: string): string {
  const parts = clean(p).split('/');
  const out: string[] = [];
  for (const s of parts) {
    if (isGlob(s)) break;
    out.push(s);
  }
  return out.join('/');
}

function matches(pattern: string, file: string): boolean {
  const p = clean(pattern);
  if (!isGlob(p)) return p === file || file.startsWith(`${p}/`);
  return picomatch(p, { dot: true })(file);
}

function patternsOverlap(a: string, b: string): boolean {
  const ca = clean(a);
  const cb = clean(b);
  if (!isGlob(ca)) return matches(cb, ca) || (!isGlob(cb) && (cb === ca || cb.startsWith(`${ca}/`)));
  if (!isGlob(cb)) return matches(ca, cb);
  const ba = staticBase(ca);
  const bb = staticBase(cb);
  return ba === '' || bb === '' || ba === bb || ba.startsWith(`${bb}/`) || bb.startsWith(`${ba}/`);
}

/** What two claims have in common, as a sorted list of paths or patterns (empty: no overlap). */
export function overlap(a: Claim, b: Claim): string[] {
  const out = new Set<string>();
  for (const f of a.changed) {
    if (b.changed.includes(f) || b.patterns.some((p) => matches(p, f))) out.add(f);
  }
  for (const f of b.changed) if (a.patterns.some((p) => matches(p, f))) out.add(f);
  for (const pa of a.patterns) {
    for (const pb of b.patterns) {
      if (patternsOverlap(pa, pb)) out.add(isGlob(clean(pa)) ? clean(pb) : clean(pa));
    }
  }
  return [...out].sort();
}

/** Paths in `changed` outside every `owns` glob (empty `owns`: no ownership rule). */
export function outsideOwns(changed: readonly string[], owns: readonly string[]): string[] {
  if (owns.length === 0) return [];
  return changed.filter((f) => !owns.some((p) => matches(p, f)));
}
