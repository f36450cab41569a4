/**
 * `runr batch new`: expand the sweep into variants and write `manifest.yaml` with the next free
 * `vNN` for the study and intent. Base spec paths default to the study's spec files: the latest
 * population and persona revisions, the network config of `--config-rev` and the scenario of
 * `--scenario-rev` (when those files exist); `--base key=path` adds or replaces one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../core/errors.js';
import { checkAxis, checkConfigRev, checkIntent, checkScenarioRev, lastSpecRevision, makeBatchId, nextBatchNumber, specFileName } from '../core/studies/ids.js';
import type { SpecKind } from '../core/studies/ids.js';
import type { BatchManifest } from '../core/studies/manifest.js';
import type { Axis } from '../core/studies/sweep.js';
import { describeSweepProblem, expandSweep, parseOverrideValue } from '../core/studies/sweep.js';
import { normalizeRelPath } from '../core/template.js';
import { relToRoot } from '../store/project.js';
import type { StudiesRoot } from './layout.js';
import { StudyLayout } from './layout.js';
import { writeNewManifest } from './manifest-io.js';
import { loadPipeline } from './pipeline-io.js';

export interface BatchNewInput {
  study: string;
  intent: string;
  scenarioRev: string;
  configRev: string;
  objective: string;
  base: string[];
  sweep: string[];
  seeds: string | undefined;
  factorial: boolean;
  pipeline: string | undefined;
  cwd: string;
  now: Date;
}

export interface BatchNewResult {
  study: string;
  batch_id: string;
  manifest: string;
  variants: Array<{ id: string; seed: number; overrides: Record<string, string | number | boolean> }>;
  base_paths: Record<string, string>;
}

function parseSeeds(s: string | undefined): number[] {
  if (s === undefined) return [42];
  const parts = s.split(',').map((x) => x.trim());
  const seeds = parts.map((p) => {
    if (!/^\d+$/.test(p) || Number(p) > Number.MAX_SAFE_INTEGER) throw new UserError(`--seeds: expected comma-separated non-negative integers, got ${JSON.stringify(s)}`);
    return Number(p);
  });
  if (new Set(seeds).size !== seeds.length) throw new UserError(`--seeds: ${s} lists a seed twice`);
  return seeds;
}

function parseAxes(items: string[]): Axis[] {
  return items.map((item) => {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UserError(`--sweep: expected <axis>=<v1>,<v2>,..., got ${JSON.stringify(item)}`);
    const name = item.slice(0, eq);
    const p = checkAxis(name);
    if (p !== null) throw new UserError(`--sweep: ${p}`);
    const values = item.slice(eq + 1).split(',').map((v) => v.trim());
    if (values.some((v) => v === '')) throw new UserError(`--sweep ${name}: empty value in ${JSON.stringify(item)}`);
    return { name, values: values.map(parseOverrideValue) };
  });
}

const DEFAULT_KEYS: Array<[string, SpecKind]> = [
  ['population_spec', 'pop'],
  ['persona_config', 'persona'],
  ['network_config', 'network-config'],
  ['scenario_spec', 'scenario'],
];

function defaultBasePaths(layout: StudyLayout, scenarioRev: string, configRev: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, kind] of DEFAULT_KEYS) {
    let names: string[] = [];
    try {
      names = fs.readdirSync(layout.specsDir(kind));
    } catch {
      continue;
    }
    let nn = lastSpecRevision(layout.study, kind, names);
    if (kind === 'scenario') nn = Number(scenarioRev.slice(5));
    if (kind === 'network-config' && names.includes(specFileName(layout.study, kind, Number(configRev.slice(5))))) nn = Number(configRev.slice(5));
    const name = specFileName(layout.study, kind, nn);
    if (nn > 0 && names.includes(name)) out[key] = relToRoot(layout.root.project, path.join(layout.specsDir(kind), name));
  }
  return out;
}

function parseBase(layout: StudyLayout, items: string[], cwd: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UserError(`--base: expected <key>=<path>, got ${JSON.stringify(item)}`);
    const key = item.slice(0, eq);
    if (!/^[a-z][a-z0-9_]*$/.test(key)) throw new UserError(`--base: invalid key ${JSON.stringify(key)} (e.g. population_spec)`);
    const given = item.slice(eq + 1);
    const abs = path.resolve(cwd, given);
    const rel = normalizeRelPath(relToRoot(layout.root.project, abs));
    if (!rel.ok || !layout.contains(rel.path)) throw new UserError(`--base ${key}: ${given} is not inside the study directory ${layout.rel}/`);
    if (!fs.existsSync(abs)) throw new UserError(`--base ${key}: ${given}: file not found`);
    out[key] = rel.path;
  }
  return out;
}

export async function newBatch(root: StudiesRoot, i: BatchNewInput): Promise<BatchNewResult> {
  const layout = new StudyLayout(root, i.study);
  layout.requireExists();
  for (const [flag, p] of [['--intent', checkIntent(i.intent)], ['--scenario-rev', checkScenarioRev(i.scenarioRev)], ['--config-rev', checkConfigRev(i.configRev)]] as const) {
    if (p !== null) throw new UserError(`${flag}: ${p}`);
  }
  if (i.objective.trim() === '') throw new UserError('--objective: a value is required');
  const axes = parseAxes(i.sweep);
  const seeds = parseSeeds(i.seeds);
  const expanded = expandSweep(axes, seeds, i.factorial);
  if (!expanded.ok) throw new UserError(`--sweep: ${describeSweepProblem(expanded.problem)}`);
  if (i.pipeline !== undefined || fs.existsSync(layout.pipelineFile)) {
    const p = await loadPipeline(layout, i.cwd, i.pipeline);
    for (const a of axes) if (!(a.name in p.pipeline.params)) throw new UserError(`--sweep: ${a.name} is not a param of ${p.file} (its params: ${Object.keys(p.pipeline.params).join(', ') || 'none'})`);
  }
  const base = { ...defaultBasePaths(layout, i.scenarioRev, i.configRev), ...parseBase(layout, i.base, i.cwd) };
  for (let attempt = 0; ; attempt++) {
    const nn = nextBatchNumber(layout.batchIds(), i.intent);
    if (nn === null) throw new UserError(`--intent ${i.intent}: v99 is taken; use another intent`);
    const manifest: BatchManifest = {
      study: i.study,
      batch_id: makeBatchId(i.now, i.intent, nn),
      scenario_rev: i.scenarioRev,
      config_rev: i.configRev,
      created_at: `${i.now.toISOString().slice(0, 19)}Z`,
      objective: i.objective,
      base_paths: base,
      variants: expanded.variants,
      sweep: { axes: Object.fromEntries(axes.map((a) => [a.name, a.values])), factorial: i.factorial, seeds },
    };
    try {
      const file = await writeNewManifest(layout, manifest);
      return { study: i.study, batch_id: manifest.batch_id, manifest: layout.display(file), variants: manifest.variants, base_paths: base };
    } catch (err) {
      // Another `batch new` took this number a moment ago: take the next one.
      if (err instanceof UserError && /already exists/.test(err.message) && attempt < 5) continue;
      throw err;
    }
  }
}
