/**
 * The studies part of `runr demo` (alone with `runr demo --studies`): in a throwaway git
 * repository, with the stand-in `extropy` (examples/extropy, shipped with the package) first on
 * PATH, show a study, a baseline batch over 3 seeds, an edit of one spec file followed by
 * `batch run --why` rerunning only the stages downstream of it, a report with 95% intervals,
 * promotion, and a one-axis sweep compared with the promoted baseline as paired differences.
 * Every step runs the real CLI, printed as the command a user types.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as z from 'zod';
import { StateError } from '../../../core/errors.js';
import { gitSyncText } from '../../../git/exec.js';
import type { CliContext } from '../../context.js';
import { paint } from '../../style.js';

/** The parts of runr's --json output the demo reads (validated, not cast). */
const BatchNewOut = z.looseObject({ batch_id: z.string(), variants: z.array(z.looseObject({ id: z.string() })) });
const DryRunOut = z.looseObject({ variants: z.array(z.looseObject({ variant: z.string(), stages: z.array(z.looseObject({ stage: z.string(), action: z.string() })) })) });
const Metric = z.looseObject({ mean_diff: z.number(), ci95: z.tuple([z.number(), z.number()]).nullable(), verdict: z.string() });
const ReportOut = z.looseObject({ comparison: z.looseObject({ comparable: z.boolean(), arms: z.array(z.looseObject({ arm: z.string(), metrics: z.record(z.string(), Metric) })) }).nullable() });

export interface StudiesDemoResult {
  dir: string;
  study: string;
  baseline_batch: string;
  sweep_batch: string;
  /** Stages `batch run --why` reran after the spec edit (only the downstream ones). */
  rerun_stages: string[];
  promoted: boolean;
  comparison: Array<{ arm: string; metric: string; mean_diff: number; ci95: [number, number] | null; verdict: string }>;
  ok: boolean;
}

const STUDY = 'austin-congestion-tax';
const SEEDS = '42,43,44';

/** The stand-in's bin directory: `<package>/examples/extropy/bin`, next to the launcher's `bin/`. */
export function standinBin(runrLauncher: string): string {
  return path.join(path.dirname(path.dirname(runrLauncher)), 'examples', 'extropy', 'bin');
}

export function runStudiesDemo(ctx: CliContext, bin: string, dir?: string): StudiesDemoResult {
  const p = paint(ctx.color);
  const root = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'runr-studies-demo-'));
  fs.mkdirSync(root, { recursive: true });
  const standin = standinBin(bin);
  if (!fs.existsSync(path.join(standin, 'extropy'))) throw new StateError(`demo --studies: the stand-in extropy is missing (${standin}); reinstall runr`);
  const env = { ...process.env, PATH: `${standin}${path.delimiter}${process.env.PATH ?? ''}`, ...(ctx.color ? { FORCE_COLOR: '1' } : { NO_COLOR: '1' }) };
  const say = (line: string) => (ctx.json ? undefined : ctx.out(line));
  const show = (cmd: string, args: string[], note: string) => {
    say('');
    say(p.dim(`# ${note}`));
    say(p.bold(`$ ${cmd} ${args.map((a) => (/[\s'"]/.test(a) ? JSON.stringify(a) : a)).join(' ')}`));
  };
  const exec = (file: string, args: string[], echo: boolean) => {
    const r = spawnSync(file, args, { cwd: root, encoding: 'utf8', env });
    if (echo && !ctx.json) {
      process.stdout.write(r.stdout);
      process.stderr.write(r.stderr);
    }
    return r;
  };
  const runr = (args: string[], note: string) => {
    show('runr', args, note);
    return exec(process.execPath, [bin, ...args], true);
  };
  /** Run quietly with --json (the demo reads ids and counts from it); the text form is shown by a twin call or not at all. */
  const runrJson = <S extends z.ZodType>(schema: S, args: string[]): z.infer<S> => {
    const r = exec(process.execPath, [bin, ...args, '--json'], false);
    let value: unknown;
    try {
      value = JSON.parse(r.stdout);
    } catch {
      throw new StateError(`demo --studies: runr ${args.join(' ')} failed (exit ${r.status}): ${r.stderr.trim()}`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new StateError(`demo --studies: runr ${args.join(' ')} printed JSON the demo does not expect: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return parsed.data;
  };
  const must = (r: { status: number | null; stderr: string }, what: string) => {
    if (r.status !== 0) throw new StateError(`demo --studies: ${what} failed (exit ${r.status}): ${r.stderr.trim()}`);
  };
  const git = (args: string[]) => {
    const r = gitSyncText(args, { cwd: root });
    if (!r.ok) throw new StateError(`demo --studies: git ${args.join(' ')} failed: ${r.stderr.trim()}`);
  };
  const put = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  const specs = `runs/${STUDY}/specs`;
  const scenarioSpec = `${specs}/scenario/${STUDY}.scn-v01.scenario.yaml`;

  say(p.bold('Studies: batches, seed sweeps, stage pipelines that rerun only what changed, reports with error bars'));
  say(`Demo repository: ${root} (the stand-in extropy from ${standin} is first on PATH)`);
  git(['init', '-q', '-b', 'main']);
  git(['config', 'user.email', 'demo@runr.local']);
  git(['config', 'user.name', 'runr demo']);
  must(runr(['study', 'init', STUDY], 'the document’s tree: registry/runs.csv, specs/{pop,persona,network-config,scenario}/, batches/, and a starter pipeline.yaml'), 'study init');
  // Small populations keep the demo fast; the pipeline is otherwise the one the real extropy runs.
  const pipeFile = path.join(root, 'runs', STUDY, 'pipeline.yaml');
  fs.writeFileSync(pipeFile, fs.readFileSync(pipeFile, 'utf8').replace('agents: 200', 'agents: 60'));
  const specArgs = ['spec', 'Austin commuters', '-o', `${specs}/pop/${STUDY}.pop-v01.yaml`];
  show('extropy', specArgs, 'the base population spec, built once by hand (the document’s `spec` step)');
  must(exec(path.join(standin, 'extropy'), specArgs, true), 'extropy spec');
  put(`${specs}/network-config/${STUDY}.network-cfg-v01.yaml`, 'avg_degree: 8\n');
  put(scenarioSpec, 'name: congestion-tax\ndescription: a downtown congestion charge\nexposure_rate: 0.3\ntimesteps: 8\n');
  say(p.dim(`# and a network config (cfg-v01) and a scenario spec (scn-v01) next to it`));

  const revs = ['--scenario-rev', 'scn-v01', '--config-rev', 'cfg-v01'];
  const baseArgs = ['batch', 'new', STUDY, '--intent', 'baseline', ...revs, '--objective', 'baseline adoption of the congestion charge', '--seeds', SEEDS];
  show('runr', baseArgs, 'a baseline batch over 3 seeds (a confidence sweep): one variant per seed');
  const base = runrJson(BatchNewOut, baseArgs);
  say(`${base.batch_id}: ${base.variants.map((v) => v.id).join(', ')}`);
  must(runr(['batch', 'run', STUDY, base.batch_id, '--jobs', '3'], 'run every stage of every variant (variants in parallel); each variant is a run in the store, one registry row each'), 'batch run');

  fs.writeFileSync(path.join(root, scenarioSpec), fs.readFileSync(path.join(root, scenarioSpec), 'utf8').replace('exposure_rate: 0.3', 'exposure_rate: 0.35'));
  say('');
  say(p.dim(`# edit one spec file: ${scenarioSpec} (exposure_rate 0.3 → 0.35)`));
  const dry = runrJson(DryRunOut, ['batch', 'run', STUDY, base.batch_id, '--dry-run']);
  const rerun = [...new Set(dry.variants.flatMap((v) => v.stages.filter((s) => s.action === 'would_run').map((s) => s.stage)))].sort();
  must(runr(['batch', 'run', STUDY, base.batch_id, '--why', '--jobs', '3'], 'rerun: only the stages downstream of the edited spec run; --why gives every reason for each'), 'batch run --why');
  const again = runr(['batch', 'run', STUDY, base.batch_id], 'run it again: an unchanged batch has nothing to do');
  const nothingToDo = again.status === 0 && /^nothing to do$/m.test(again.stdout);

  must(runr(['batch', 'report', STUDY, base.batch_id], 'the report: gates per variant and stage, metrics, stability across seeds (mean, sd, 95% t interval)'), 'batch report');
  const promoted = runr(['batch', 'promote', STUDY, base.batch_id], 'promote: registry/latest.txt, only for a succeeded batch with no FAIL gate and a report');

  const sweepArgs = ['batch', 'new', STUDY, '--intent', 'threshold-sweep', ...revs, '--objective', 'does a higher adoption threshold lower adoption?', '--sweep', 'threshold=5', '--seeds', SEEDS];
  show('runr', sweepArgs, 'a one-axis sweep: the baseline arm plus threshold=5, each over the same 3 seeds');
  const sweep = runrJson(BatchNewOut, sweepArgs);
  say(`${sweep.batch_id}: ${sweep.variants.map((v) => v.id).join(', ')}`);
  must(runr(['batch', 'run', STUDY, sweep.batch_id, '--jobs', '3'], 'run the sweep'), 'batch run (sweep)');
  must(runr(['batch', 'report', STUDY, sweep.batch_id, '--baseline', 'latest'], 'compare with the promoted baseline: comparability first, then paired differences per seed with a 95% interval and a verdict'), 'batch report --baseline');
  const rep = runrJson(ReportOut, ['batch', 'report', STUDY, sweep.batch_id, '--baseline', 'latest']);
  const comparison = (rep.comparison?.arms ?? []).flatMap((a) => Object.entries(a.metrics).map(([metric, m]) => ({ arm: a.arm, metric, mean_diff: m.mean_diff, ci95: m.ci95, verdict: m.verdict })));
  say('');
  say(p.dim(`# the registry: one row per variant run`));
  for (const line of fs.readFileSync(path.join(root, 'runs', STUDY, 'registry', 'runs.csv'), 'utf8').trimEnd().split('\n').slice(0, 4)) say(`  ${line.length > 150 ? `${line.slice(0, 149)}…` : line}`);
  say('  …');
  const ok = promoted.status === 0 && nothingToDo && rerun.join(',') === 'estimate,results,scenario,simulate' && rep.comparison?.comparable === true && comparison.length > 0;
  say('');
  say(ok ? p.green('Studies demo done.') : p.red('Studies demo: unexpected outcome (see above).'));
  return { dir: root, study: STUDY, baseline_batch: base.batch_id, sweep_batch: sweep.batch_id, rerun_stages: rerun, promoted: promoted.status === 0, comparison, ok };
}
