import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse, stringify } from 'yaml';
import { STUDY, makeStudy, newBatch, registryRows, removeRepo, snapshotTree, st, stJson, studyPath, variantPath } from './helpers.js';

// Real processes on a shared 2-core machine: generous bounds (no timing is asserted).
vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });

type Stage = { stage: string; action: string; status: string | null; why: string[]; failure: string | null };
type V = { variant: string; outcome: string; stages: Stage[]; run_id: string | null; escalated: unknown };
type Run = { variants: V[]; counts: Record<string, number>; nothing_to_do: boolean };

const stageOf = (r: Run, variant: string, stage: string) => r.variants.find((v) => v.variant === variant)?.stages.find((s) => s.stage === stage);
const actions = (r: Run, variant: string) => Object.fromEntries((r.variants.find((v) => v.variant === variant)?.stages ?? []).map((s) => [s.stage, s.action]));

describe('runr batch run with the stand-in extropy', () => {
  let dir = '';
  let batch = '';
  const V42 = 'vr-base-default-s42';
  beforeAll(() => {
    dir = makeStudy();
    batch = newBatch(dir, ['--seeds', '42,43', '--sweep', 'threshold=2']);
  });
  afterAll(() => removeRepo(dir));

  it('runs every stage of every variant, records each variant as a pipeline run, and appends one registry row each', () => {
    const r = stJson<Run>(['batch', 'run', STUDY, batch, '--jobs', '4'], dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json.variants).toHaveLength(4);
    expect(r.json.counts.ran).toBe(4 * 7);
    expect(r.json.variants.every((v) => v.outcome === 'success')).toBe(true);
    for (const f of ['meta.json', 'by_timestep.json', 'outcome_distributions.json', 'agent_states.json', 'timeline.jsonl']) expect(fs.existsSync(variantPath(dir, batch, V42, 'results', f))).toBe(true);
    const rows = registryRows(dir);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatch(new RegExp(`^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z,${STUDY},${batch},vr-[^,]+,scn-v01,cfg-v01,4[23],success,runs/${STUDY}/batches/${batch}/variants/vr-[^,]+/results,"ran sample, network`));
    const found = stJson<{ runs: Array<{ kind: string; params: Record<string, unknown> }> }>(['find', `params.study = '${STUDY}' and params.seed = 42`, '--format', 'json'], dir);
    expect(found.status, found.stderr).toBe(0);
    expect(found.stdout).toContain(V42);
    const threshold = st(['find', `params.study = '${STUDY}' and params.threshold = 2`], dir);
    expect(threshold.stdout).toContain('vr-threshold-2-s42');
    expect(threshold.stdout).not.toContain(V42);
  });

  it('an unchanged batch runs 0 stages, says nothing to do, and writes nothing', () => {
    const before = snapshotTree(dir);
    const r = st(['batch', 'run', STUDY, batch, '--why'], dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\nnothing to do\n$/);
    const j = stJson<Run>(['batch', 'run', STUDY, batch], dir);
    expect(j.json.counts.ran).toBe(0);
    expect(j.json.nothing_to_do).toBe(true);
    expect(snapshotTree(dir)).toBe(before);
  });

  it('an edited spec file reruns only the stages downstream of it, and --why says why', () => {
    const spec = studyPath(dir, 'specs', 'scenario', `${STUDY}.scn-v01.scenario.yaml`);
    fs.writeFileSync(spec, fs.readFileSync(spec, 'utf8').replace('exposure_rate: 0.3', 'exposure_rate: 0.4'));
    const before = snapshotTree(dir);
    const dry = stJson<Run>(['batch', 'run', STUDY, batch, '--dry-run', '--variant', V42], dir);
    expect(snapshotTree(dir)).toBe(before);
    expect(actions(dry.json, V42)).toEqual({ sample: 'skipped', network: 'skipped', persona: 'skipped', scenario: 'would_run', estimate: 'would_run', simulate: 'would_run', results: 'would_run' });
    expect(stageOf(dry.json, V42, 'scenario')?.why).toEqual([expect.stringMatching(new RegExp(`^dep changed: specs/scenario/${STUDY}\\.scn-v01\\.scenario\\.yaml \\(sha [0-9a-f]{4}… → [0-9a-f]{4}…\\)$`))]);
    expect(stageOf(dry.json, V42, 'estimate')?.why).toEqual(['upstream reran: scenario']);
    const text = st(['batch', 'run', STUDY, batch, '--dry-run', '--why', '--variant', V42], dir).stdout;
    expect(text).toMatch(/sample\s+skip\s+nothing to do/);
    expect(text).toMatch(/scenario\s+run\s+dep changed: specs\/scenario\//);
    const real = stJson<Run>(['batch', 'run', STUDY, batch, '--why'], dir);
    expect(real.status, real.stderr).toBe(0);
    for (const v of real.json.variants) {
      expect(actions(real.json, v.variant)).toEqual({ sample: 'skipped', network: 'skipped', persona: 'skipped', scenario: 'ran', estimate: 'ran', simulate: 'ran', results: 'ran' });
    }
    const sim = stageOf(real.json, V42, 'simulate');
    expect(sim?.why).toContainEqual(expect.stringMatching(/^dep changed: inputs\/scenario\.yaml \(sha [0-9a-f]{4}… → [0-9a-f]{4}…\)$/));
    expect(sim?.why).toContain('upstream reran: scenario');
  });

  it('names a changed param, a missing out and a changed cmd — every reason, not only the first', () => {
    const mf = studyPath(dir, 'batches', batch, 'manifest.yaml');
    const m = parse(fs.readFileSync(mf, 'utf8'));
    m.variants.find((v: { id: string }) => v.id === 'vr-threshold-2-s42').overrides.threshold = 5;
    fs.writeFileSync(mf, stringify(m));
    fs.rmSync(variantPath(dir, batch, 'vr-threshold-2-s42', 'results', 'meta.json'));
    const r = stJson<Run>(['batch', 'run', STUDY, batch, '--dry-run', '--variant', 'vr-threshold-2-s42'], dir);
    expect(stageOf(r.json, 'vr-threshold-2-s42', 'simulate')?.why).toEqual(['param threshold: 2 → 5', 'out missing: results/meta.json']);
    const pf = studyPath(dir, 'pipeline.yaml');
    fs.writeFileSync(pf, fs.readFileSync(pf, 'utf8').replace('[extropy, persona, "{base.population_spec}", -a, "{inputs}/agents.json", -o, "{inputs}/population.persona.yaml", -y]', '[extropy, persona, "{base.population_spec}", -a, "{inputs}/agents.json", -o, "{inputs}/population.persona.yaml"]'));
    const c = stJson<Run>(['batch', 'run', STUDY, batch, '--dry-run', '--variant', V42], dir);
    expect(stageOf(c.json, V42, 'persona')?.why).toEqual(['cmd changed']);
    expect(stageOf(c.json, V42, 'simulate')?.why).toEqual(['upstream reran: persona']);
    const run = stJson<Run>(['batch', 'run', STUDY, batch, '--jobs', '2'], dir);
    expect(run.status, run.stderr).toBe(0);
    // The persona output is byte-identical (the flag only skips a prompt): what is downstream of it is not rerun.
    expect(actions(run.json, V42)).toMatchObject({ persona: 'ran', simulate: 'skipped' });
    expect(actions(run.json, 'vr-threshold-2-s42')).toMatchObject({ persona: 'ran', simulate: 'ran', results: 'ran' });
  });

  it('a FAIL stops that variant’s downstream stages; after the fix only what depends on it reruns', () => {
    const b = newBatch(dir, ['--seeds', '7'], 'fail-check');
    const v = 'vr-base-default-s7';
    const failed = stJson<Run>(['batch', 'run', STUDY, b], dir, { EXTROPY_STANDIN_FAIL: 'network' });
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/1 variant\(s\) failed/);
    expect(actions(failed.json, v)).toEqual({ sample: 'ran', network: 'ran', persona: 'ran', scenario: 'blocked', estimate: 'blocked', simulate: 'blocked', results: 'blocked' });
    expect(stageOf(failed.json, v, 'network')).toMatchObject({ status: 'FAIL', failure: expect.stringMatching(/^exited 1/) });
    expect(registryRows(dir).at(-1)).toMatch(new RegExp(`,${v},scn-v01,cfg-v01,7,failed,.*"ran sample, network, persona; blocked scenario, estimate, simulate, results; FAIL network: exited 1 \\(\\+3 more\\)"`));
    const fixed = stJson<Run>(['batch', 'run', STUDY, b, '--why'], dir);
    expect(fixed.status, fixed.stderr).toBe(0);
    expect(actions(fixed.json, v)).toEqual({ sample: 'skipped', network: 'ran', persona: 'skipped', scenario: 'ran', estimate: 'ran', simulate: 'ran', results: 'ran' });
    expect(stageOf(fixed.json, v, 'network')?.why[0]).toMatch(/^last run failed: exited 1/);
    expect(stageOf(fixed.json, v, 'scenario')?.why).toEqual(['never ran']);
    expect(registryRows(dir).at(-1)).toMatch(/,7,success,/);
  });

  it('the same gate failing twice marks the variant escalated', () => {
    const b = newBatch(dir, ['--seeds', '9'], 'escalate');
    const v = 'vr-base-default-s9';
    const first = stJson<Run>(['batch', 'run', STUDY, b], dir, { EXTROPY_STANDIN_BAD: 'sample' });
    expect(first.status).toBe(1);
    expect(stageOf(first.json, v, 'sample')).toMatchObject({ status: 'FAIL', failure: expect.stringContaining('check count_equals agents.json failed (requested count = generated count: count 53, expected 60)') });
    expect(first.json.variants[0]?.outcome).toBe('failed');
    const second = stJson<Run>(['batch', 'run', STUDY, b], dir, { EXTROPY_STANDIN_BAD: 'sample' });
    expect(second.status).toBe(1);
    expect(second.json.variants[0]).toMatchObject({ outcome: 'escalated', escalated: { stage: 'sample' } });
    expect(registryRows(dir).at(-1)).toMatch(/,9,escalated,.*"escalated: same gate failed twice; /);
    const text = st(['batch', 'run', STUDY, b], dir, { EXTROPY_STANDIN_BAD: 'sample' }).stdout;
    expect(text).toMatch(/escalated: stage sample failed twice in a row/);
    const run = st(['run', 'list', '--json'], dir);
    expect(run.stdout).toContain('"stop_reason": "escalated"');
  });

  it('a stage that hangs past its timeout is a FAIL (its process group killed)', () => {
    const b = newBatch(dir, ['--seeds', '11'], 'hang');
    const pf = studyPath(dir, 'pipeline.yaml');
    const original = fs.readFileSync(pf, 'utf8');
    fs.writeFileSync(pf, original.replace('    timeout_s: 3600\n', '    timeout_s: 2\n'));
    try {
      const r = stJson<Run>(['batch', 'run', STUDY, b], dir, { EXTROPY_STANDIN_HANG: 'simulate' });
      expect(r.status).toBe(1);
      expect(stageOf(r.json, 'vr-base-default-s11', 'simulate')).toMatchObject({ status: 'FAIL', failure: expect.stringMatching(/^timed out after/) });
      expect(actions(r.json, 'vr-base-default-s11').results).toBe('blocked');
    } finally {
      fs.writeFileSync(pf, original);
    }
  });
});
