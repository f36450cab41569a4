/**
 * Static checks of a parsed pipeline (pure), beyond its schema: param names, the params a stage
 * reads, templates that would leave the study directory, unknown template variables, and the
 * stage graph. Each problem names the field.
 */
import { templateIsUnsafe, describePathProblem } from '../template.js';
import { stageGraph } from './dag.js';
import type { StageGraph } from './dag.js';
import type { Pipeline } from './pipeline.js';
import { BUILTIN_VARS } from './pipeline.js';

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_.-]*)\}/g;
const RESERVED = new Set<string>([...BUILTIN_VARS, 'scenario_rev', 'config_rev']);

export interface PipelineProblem {
  field: string;
  problem: string;
}

function placeholders(t: string): string[] {
  return [...t.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
}

/** Param names a template refers to. */
export function paramsIn(templates: readonly string[], p: Pipeline): string[] {
  const out = new Set<string>();
  for (const t of templates) for (const n of placeholders(t)) if (n in p.params) out.add(n);
  return [...out].sort();
}

export function checkPipeline(p: Pipeline): { ok: true; graph: StageGraph } | { ok: false; error: PipelineProblem } {
  for (const name of Object.keys(p.params)) {
    if (RESERVED.has(name)) return { ok: false, error: { field: `params.${name}`, problem: `${name} is reserved (a built-in template variable)` } };
  }
  const known = (n: string) => (BUILTIN_VARS as readonly string[]).includes(n) || n in p.params || /^base\.[a-z][a-z0-9_]*$/.test(n);
  for (const [name, st] of Object.entries(p.stages)) {
    const at = `stages.${name}`;
    for (const [i, prm] of st.params.entries()) {
      if (!(prm in p.params)) return { ok: false, error: { field: `${at}.params[${i}]`, problem: `${prm} is not declared under params: (give it a default there)` } };
    }
    const paths: Array<[string, string]> = [
      ...st.deps.map((d, i): [string, string] => [`${at}.deps[${i}]`, d]),
      ...st.outs.map((d, i): [string, string] => [`${at}.outs[${i}]`, d]),
      ...(st.stdout !== undefined ? [[`${at}.stdout`, st.stdout] as [string, string]] : []),
      ...Object.entries(st.metrics).map(([m, spec]): [string, string] => [`${at}.metrics.${m}.file`, spec.file]),
    ];
    for (const [field, t] of paths) {
      const unsafe = templateIsUnsafe(t);
      if (unsafe !== null) return { ok: false, error: { field, problem: `${describePathProblem(unsafe)}: ${t}` } };
      if (!t.includes('{')) return { ok: false, error: { field, problem: `${t}: paths must start from a template ({inputs}, {results}, {specs}, {study_dir}, {base.<key>}, ...) so they stay inside the study` } };
    }
    const texts: Array<[string, string]> = [...paths, ...(Array.isArray(st.cmd) ? st.cmd.map((c, i): [string, string] => [`${at}.cmd[${i}]`, c]) : [])];
    for (const [field, t] of texts) {
      for (const n of placeholders(t)) if (!known(n)) return { ok: false, error: { field, problem: `unknown variable {${n}} (not a built-in, a param, or base.<key>)` } };
    }
    for (const [i, c] of st.checks.entries()) {
      const target = (c as { target?: unknown }).target;
      if (typeof target === 'string') {
        const unsafe = templateIsUnsafe(target);
        if (unsafe !== null) return { ok: false, error: { field: `${at}.checks[${i}].target`, problem: `${describePathProblem(unsafe)}: ${target}` } };
      }
    }
  }
  const g = stageGraph(p);
  if (!g.ok) return { ok: false, error: g.error };
  return { ok: true, graph: g.graph };
}
