/**
 * Resolve a pipeline for one variant: template variables, commands, dep/out paths (which must
 * stay inside the study directory), check specs, metric files, and the parts of the cache key
 * that do not depend on file contents. Done for every selected variant before anything is
 * written, so a bad template is exit 2 with nothing changed.
 */
import { createHash } from 'node:crypto';
import { ValidationError } from '../core/errors.js';
import type { StageKey } from '../core/studies/cache.js';
import type { BatchManifest, VariantEntry } from '../core/studies/manifest.js';
import { effectiveParams, templateVars } from '../core/studies/pipeline.js';
import { paramsIn } from '../core/studies/pipeline-check.js';
import type { OverrideValue } from '../core/studies/sweep.js';
import { normalizeRelPath, substitute } from '../core/template.js';
import type { StudyLayout } from './layout.js';
import type { LoadedPipeline, StageCheck } from './pipeline-io.js';

export interface ResolvedStage {
  name: string;
  /** argv (templates substituted) or the shell string exactly as written. */
  cmd: string[] | string;
  display: string;
  deps: string[];
  outs: string[];
  stdout: string | null;
  needs: string[];
  checks: StageCheck[];
  metrics: Array<{ name: string; file: string; key: string }>;
  timeoutMs: number | undefined;
  keyBase: Omit<StageKey, 'deps'>;
}

export interface ResolvedVariant {
  variant: VariantEntry;
  vars: Record<string, string>;
  /** Repository-relative. */
  dir: string;
  env: Record<string, string>;
  stages: ResolvedStage[];
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function quoteArg(a: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`;
}

export function resolveVariant(layout: StudyLayout, manifest: BatchManifest, manifestDisplay: string, lp: LoadedPipeline, v: VariantEntry, variantIndex: number): ResolvedVariant {
  const p = lp.pipeline;
  for (const name of Object.keys(v.overrides)) {
    if (!(name in p.params)) throw new ValidationError(manifestDisplay, `variants[${variantIndex}].overrides.${name}`, `not a param of ${lp.file} (its params: ${Object.keys(p.params).join(', ') || 'none'})`);
  }
  const params = effectiveParams(p, v.overrides);
  const vars = templateVars({ studiesRel: layout.root.rel, study: layout.study, batch: manifest.batch_id, variant: v.id, seed: v.seed, params, basePaths: manifest.base_paths });
  const sub = (t: string, field: string): string => {
    const r = substitute(t, vars);
    const u = r.unknown[0];
    if (u !== undefined) {
      if (u.startsWith('base.')) throw new ValidationError(manifestDisplay, `base_paths.${u.slice(5)}`, `missing: ${lp.file} ${field} uses {${u}}`);
      throw new ValidationError(lp.file, field, `unknown variable {${u}}`);
    }
    return r.value;
  };
  const inside = (t: string, field: string): string => {
    const value = sub(t, field);
    const n = normalizeRelPath(value);
    if (!n.ok || !layout.contains(n.path)) throw new ValidationError(lp.file, field, `${t} resolves to ${value}, outside the study directory ${layout.rel}/`);
    return n.path;
  };
  const stages: ResolvedStage[] = [];
  for (const name of lp.graph.order) {
    const st = p.stages[name];
    if (st === undefined) continue;
    const at = `stages.${name}`;
    let cmd: string[] | string;
    if (typeof st.cmd === 'string') cmd = st.cmd;
    else {
      cmd = st.cmd.map((c, i) => sub(c, `${at}.cmd[${i}]`));
      if (st.seed && !cmd.includes('--seed')) cmd.push('--seed', String(v.seed));
    }
    const deps = st.deps.map((d, i) => inside(d, `${at}.deps[${i}]`));
    const outs = st.outs.map((d, i) => inside(d, `${at}.outs[${i}]`));
    const stdout = st.stdout !== undefined ? inside(st.stdout, `${at}.stdout`) : null;
    const metrics = Object.entries(st.metrics).map(([m, spec]) => ({ name: m, file: inside(spec.file, `${at}.metrics.${m}.file`), key: spec.key }));
    const templates = [...(typeof st.cmd === 'string' ? [] : st.cmd), ...st.deps, ...st.outs];
    const used = [...new Set([...st.params, ...paramsIn(templates, p)])].sort();
    const stageParams: Record<string, OverrideValue> = {};
    for (const n of used) {
      const val = params[n];
      if (val !== undefined) stageParams[n] = val;
    }
    const display = typeof cmd === 'string' ? cmd : cmd.map(quoteArg).join(' ');
    stages.push({
      name,
      cmd,
      display,
      deps,
      outs,
      stdout,
      needs: lp.graph.needs[name] ?? [],
      checks: lp.checks[name] ?? [],
      metrics,
      timeoutMs: st.timeout_s !== undefined ? st.timeout_s * 1000 : undefined,
      keyBase: {
        cmd_template: sha(JSON.stringify({ cmd: st.cmd, seed: st.seed, stdout: st.stdout ?? null })),
        cmd: sha(JSON.stringify({ cmd, stdout })),
        params: stageParams,
        seed: st.seed ? v.seed : null,
      },
    });
  }
  const env: Record<string, string> = {
    RUNR_STUDY: layout.study,
    RUNR_BATCH: manifest.batch_id,
    RUNR_VARIANT: v.id,
    RUNR_SEED: String(v.seed),
    RUNR_STUDY_DIR: vars.study_dir ?? '',
    RUNR_SPECS: vars.specs ?? '',
    RUNR_VARIANT_DIR: vars.variant_dir ?? '',
    RUNR_INPUTS: vars.inputs ?? '',
    RUNR_RESULTS: vars.results ?? '',
  };
  for (const [k, val] of Object.entries(params)) env[`RUNR_PARAM_${k.toUpperCase()}`] = String(val);
  return { variant: v, vars, dir: vars.variant_dir ?? '', env, stages };
}
