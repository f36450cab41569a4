/**
 * Stage order (pure). A stage needs the stages named in `needs`, or, without it, every stage one
 * of whose outs is one of its deps (or contains it: an out directory). Order: file order,
 * constrained by the needs (a stable topological sort); a cycle is an error naming it.
 */
import type { Pipeline } from './pipeline.js';

export interface StageGraph {
  order: string[];
  needs: Record<string, string[]>;
}

const norm = (t: string) => t.replace(/\\/g, '/').replace(/\/+$/, '').replace(/\/{2,}/g, '/');

function produces(out: string, dep: string): boolean {
  const o = norm(out);
  const d = norm(dep);
  return d === o || d.startsWith(`${o}/`);
}

export type GraphProblem = { field: string; problem: string };

export function stageGraph(p: Pipeline): { ok: true; graph: StageGraph } | { ok: false; error: GraphProblem } {
  const names = Object.keys(p.stages);
  const needs: Record<string, string[]> = {};
  for (const name of names) {
    const st = p.stages[name];
    if (st === undefined) continue;
    if (st.needs !== undefined) {
      for (const [i, n] of st.needs.entries()) {
        if (!names.includes(n)) return { ok: false, error: { field: `stages.${name}.needs[${i}]`, problem: `no stage named ${JSON.stringify(n)}` } };
        if (n === name) return { ok: false, error: { field: `stages.${name}.needs[${i}]`, problem: 'a stage cannot need itself' } };
      }
      needs[name] = [...new Set(st.needs)];
      continue;
    }
    const inferred: string[] = [];
    for (const other of names) {
      if (other === name) continue;
      const o = p.stages[other];
      if (o !== undefined && o.outs.some((out) => st.deps.some((dep) => produces(out, dep)))) inferred.push(other);
    }
    needs[name] = inferred;
  }
  // Two stages must not write the same output.
  const owner = new Map<string, string>();
  for (const name of names) {
    for (const [i, out] of (p.stages[name]?.outs ?? []).entries()) {
      const prev = owner.get(norm(out));
      if (prev !== undefined) return { ok: false, error: { field: `stages.${name}.outs[${i}]`, problem: `${out} is already an output of stage ${prev}` } };
      owner.set(norm(out), name);
    }
  }
  // Stable topological sort (Kahn, picking the earliest stage in file order), with cycle report.
  const order: string[] = [];
  const done = new Set<string>();
  while (order.length < names.length) {
    const next = names.find((n) => !done.has(n) && (needs[n] ?? []).every((d) => done.has(d)));
    if (next === undefined) {
      const cycle = findCycle(names.filter((n) => !done.has(n)), needs);
      return { ok: false, error: { field: 'stages', problem: `stage cycle: ${cycle.join(' → ')}` } };
    }
    order.push(next);
    done.add(next);
  }
  return { ok: true, graph: { order, needs } };
}

function findCycle(left: string[], needs: Record<string, string[]>): string[] {
  const start = left[0] ?? '';
  const path: string[] = [];
  let cur = start;
  const seen = new Map<string, number>();
  while (!seen.has(cur)) {
    seen.set(cur, path.length);
    path.push(cur);
    cur = (needs[cur] ?? []).find((d) => left.includes(d)) ?? start;
  }
  return [...path.slice(seen.get(cur) ?? 0), cur].reverse();
}

/** Every stage that transitively needs `stage` (not including it). */
export function downstreamOf(graph: StageGraph, stage: string): Set<string> {
  const out = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const n of graph.order) {
      if (out.has(n) || n === stage) continue;
      if ((graph.needs[n] ?? []).some((d) => d === stage || out.has(d))) {
        out.add(n);
        grew = true;
      }
    }
  }
  return out;
}
