/**
 * Sweep expansion (pure). One-axis by default, as the document asks ("Use one-axis sweeps unless
 * user explicitly requests full factorial"): the baseline (no overrides) plus each value of each
 * axis with every other axis at its baseline. `factorial`: the full product of the axes. Seeds
 * repeat every variant (a confidence sweep).
 */
import { makeVariantId } from './ids.js';

export type OverrideValue = string | number | boolean;
export interface Axis {
  name: string;
  values: OverrideValue[];
}
export interface VariantSpec {
  id: string;
  seed: number;
  overrides: Record<string, OverrideValue>;
}

/** A flag value as YAML would read a plain scalar: integers and decimals are numbers, true/false booleans, the rest strings. */
export function parseOverrideValue(text: string): OverrideValue {
  const t = text.trim();
  if (/^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?$/.test(t)) return Number(t);
  if (t === 'true') return true;
  if (t === 'false') return false;
  return t;
}

export type SweepProblem = { kind: 'duplicate_axis'; axis: string } | { kind: 'duplicate_value'; axis: string; value: string } | { kind: 'id_collision'; id: string } | { kind: 'no_seeds' };

export function describeSweepProblem(p: SweepProblem): string {
  switch (p.kind) {
    case 'duplicate_axis':
      return `axis ${p.axis} is given twice (give all its values in one --sweep ${p.axis}=a,b,c)`;
    case 'duplicate_value':
      return `axis ${p.axis} lists ${p.value} twice`;
    case 'id_collision':
      return `two variants would both be named ${p.id} (values that differ only in case or punctuation)`;
    case 'no_seeds':
      return 'at least one seed is needed';
  }
}

function combos(axes: readonly Axis[], factorial: boolean): Array<Array<[string, OverrideValue]>> {
  if (axes.length === 0) return [[]];
  if (!factorial) {
    const out: Array<Array<[string, OverrideValue]>> = [[]];
    for (const a of axes) for (const v of a.values) out.push([[a.name, v]]);
    return out;
  }
  let acc: Array<Array<[string, OverrideValue]>> = [[]];
  for (const a of axes) {
    const next: Array<Array<[string, OverrideValue]>> = [];
    for (const prefix of acc) for (const v of a.values) next.push([...prefix, [a.name, v]]);
    acc = next;
  }
  return acc;
}

/** Variants in a stable order: by combination (baseline first), then by seed. */
export function expandSweep(axes: readonly Axis[], seeds: readonly number[], factorial: boolean): { ok: true; variants: VariantSpec[] } | { ok: false; problem: SweepProblem } {
  if (seeds.length === 0) return { ok: false, problem: { kind: 'no_seeds' } };
  const seen = new Set<string>();
  for (const a of axes) {
    if (seen.has(a.name)) return { ok: false, problem: { kind: 'duplicate_axis', axis: a.name } };
    seen.add(a.name);
    const vals = new Set<string>();
    for (const v of a.values) {
      const k = JSON.stringify(v);
      if (vals.has(k)) return { ok: false, problem: { kind: 'duplicate_value', axis: a.name, value: String(v) } };
      vals.add(k);
    }
  }
  const variants: VariantSpec[] = [];
  const ids = new Set<string>();
  for (const combo of combos(axes, factorial)) {
    for (const seed of seeds) {
      const id = makeVariantId(combo, seed);
      if (ids.has(id)) return { ok: false, problem: { kind: 'id_collision', id } };
      ids.add(id);
      variants.push({ id, seed, overrides: Object.fromEntries(combo) });
    }
  }
  return { ok: true, variants };
}

/** How many variants a sweep makes (for messages and tests). */
export function sweepCount(axes: readonly Axis[], seeds: number, factorial: boolean): number {
  if (factorial) return axes.reduce((n, a) => n * a.values.length, 1) * seeds;
  return (1 + axes.reduce((n, a) => n + a.values.length, 0)) * seeds;
}
