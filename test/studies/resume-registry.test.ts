import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseCsv } from '../../src/core/studies/csv.js';
import { STUDY, makeStudy, newBatch, registryRows, registryText, removeRepo, st, stJson, stSpawn, studyPath, variantPath } from './helpers.js';

// Real processes on a shared 2-core machine: generous bounds (no timing is asserted).
vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(cond: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(100);
  }
}

function dbStep(file: string): number {
  try {
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { step: number }).step;
  } catch {
    return 0;
  }
}

describe('kill -9 in the middle of a stage, then resume', () => {
  let dir = '';
  beforeAll(() => {
    dir = makeStudy();
  });
  afterAll(() => removeRepo(dir));

  it('resumes the interrupted stage with the same command, seed and output dir; refuses a changed config; the result equals an uninterrupted run', async () => {
    const ref = newBatch(dir, ['--seeds', '5'], 'reference');
    const b = newBatch(dir, ['--seeds', '5'], 'resume');
    const v = 'vr-base-default-s5';
    expect(st(['batch', 'run', STUDY, ref], dir).status).toBe(0);
    const child = stSpawn(['batch', 'run', STUDY, b], dir, { EXTROPY_STANDIN_SLOW_MS: '2500' });
    const db = variantPath(dir, b, v, 'results', 'simulation.db');
    try {
      await waitFor(() => dbStep(db) >= 2);
    } finally {
      child.kill('SIGKILL');
    }
    await new Promise((r) => child.once('close', r));
    // The stage's process group outlives its runr: batch run refuses to start a second copy.
    const runId = fs.readFileSync(variantPath(dir, b, v, '.runr-run'), 'utf8').trim();
    const pidFile = `${dir}/.runr/runs/${runId}/logs/stage.pid.json`;
    const { pid } = JSON.parse(fs.readFileSync(pidFile, 'utf8')) as { pid: number };
    const busy = st(['batch', 'run', STUDY, b], dir);
    expect(busy.status).toBe(1);
    expect(busy.stderr).toContain(`stage simulate is still running as pid ${pid}`);
    process.kill(-pid, 'SIGKILL');
    await waitFor(() => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    });
    const step = dbStep(db);
    expect(step).toBeGreaterThanOrEqual(2);
    expect(registryRows(dir).filter((r) => r.includes(b))).toHaveLength(0);
    // A changed config for the resumed stage is refused, and nothing is written.
    const pf = studyPath(dir, 'pipeline.yaml');
    const original = fs.readFileSync(pf, 'utf8');
    fs.writeFileSync(pf, original.replace('threshold: 3', 'threshold: 4'));
    const refused = st(['batch', 'run', STUDY, b], dir);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/stage simulate was interrupted and must resume with the same seed and config, but param threshold 3 → 4/);
    fs.writeFileSync(pf, original);
    const r = stJson(['batch', 'run', STUDY, b, '--why'], dir);
    expect(r.status, r.stderr).toBe(0);
    const stages = r.json.variants[0].stages as Array<{ stage: string; action: string; why: string[] }>;
    expect(stages.find((s) => s.stage === 'simulate')).toMatchObject({ action: 'ran', why: ['interrupted: resuming with the same command, seed and config'] });
    expect(stages.filter((s) => s.action === 'ran').map((s) => s.stage)).toEqual(['simulate', 'results']);
    const meta = JSON.parse(fs.readFileSync(variantPath(dir, b, v, 'results', 'meta.json'), 'utf8'));
    expect(meta.resumed_from_timestep).toBe(step);
    expect(meta.seed).toBe(5);
    expect(fs.readFileSync(variantPath(dir, b, v, 'results', 'outcome_distributions.json'), 'utf8')).toBe(fs.readFileSync(variantPath(dir, ref, v, 'results', 'outcome_distributions.json'), 'utf8'));
    expect(registryRows(dir).filter((x) => x.includes(b))).toHaveLength(1);
  });
});

describe('registry', () => {
  let dir = '';
  beforeAll(() => {
    dir = makeStudy();
  });
  afterAll(() => removeRepo(dir));

  it('8 concurrent variants (8 processes) append to one registry and lose no row', async () => {
    const pf = studyPath(dir, 'pipeline.yaml');
    fs.writeFileSync(`${pf}.fast`, 'params: {n: 1}\nstages:\n  one:\n    cmd: [node, -e, "require(\'fs\').writeFileSync(process.env.RUNR_RESULTS + \'/x.json\', JSON.stringify({v: Number(process.env.RUNR_SEED)}))"]\n    outs: ["{results}/x.json"]\n    metrics: {v: {file: "{results}/x.json", key: v}}\n');
    const b = newBatch(dir, ['--seeds', '1,2,3,4,5,6,7,8', '--pipeline', `${pf}.fast`], 'concurrent');
    const m = parse(fs.readFileSync(studyPath(dir, 'batches', b, 'manifest.yaml'), 'utf8'));
    const kids = m.variants.map((v: { id: string }) => stSpawn(['batch', 'run', STUDY, b, '--variant', v.id, '--pipeline', `${pf}.fast`, '--note', 'notes, with "quotes"'], dir));
    const codes = await Promise.all(kids.map((k: ReturnType<typeof stSpawn>) => new Promise((r) => k.once('close', r))));
    expect(codes).toEqual(new Array(8).fill(0));
    const p = parseCsv(registryText(dir));
    if (!p.ok) throw new Error(p.problem);
    const rows = p.records.slice(1).filter((r) => r.fields[2] === b);
    expect(rows).toHaveLength(8);
    expect(new Set(rows.map((r) => r.fields[3])).size).toBe(8);
    expect(rows.every((r) => r.fields[7] === 'success' && r.fields[9]?.startsWith('notes, with "quotes"; ran one'))).toBe(true);
    expect(registryText(dir)).toContain('"notes, with ""quotes""; ran one"');
    // In one process too: --jobs 8 over a second batch.
    const b2 = newBatch(dir, ['--seeds', '1,2,3,4,5,6,7,8', '--pipeline', `${pf}.fast`], 'concurrent');
    expect(st(['batch', 'run', STUDY, b2, '--jobs', '8', '--pipeline', `${pf}.fast`], dir).status).toBe(0);
    expect(registryRows(dir).filter((r) => r.includes(b2))).toHaveLength(8);
  });

  it('a malformed registry is exit 2 naming the line, and is never rewritten', () => {
    const b = newBatch(dir, ['--seeds', '1'], 'broken');
    const file = studyPath(dir, 'registry', 'runs.csv');
    const good = registryText(dir);
    const lines = good.split('\n').length;
    fs.writeFileSync(file, `${good}2026-01-01T00:00:00Z,${STUDY},"unterminated\n`);
    const r = st(['batch', 'run', STUDY, b], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`error: runs/${STUDY}/registry/runs.csv: line ${lines}: unterminated quoted field\n`);
    fs.writeFileSync(file, `${good}2026-01-01T00:00:00Z,${STUDY},${b},vr-base-default-s1,scn-v01,cfg-v01,1,done,x,\n`);
    const r2 = st(['batch', 'promote', STUDY, b], dir);
    expect(r2.status).toBe(2);
    expect(r2.stderr).toMatch(new RegExp(`line ${lines}: status: expected one of success, failed, escalated, canceled`));
    expect(fs.readFileSync(file, 'utf8')).toContain(',done,x,');
    fs.writeFileSync(file, good);
    void stringify;
  });
});
