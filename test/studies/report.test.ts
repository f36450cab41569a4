import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { STUDY, makeStudy, newBatch, removeRepo, st, stJson, studyPath } from './helpers.js';

// Real processes on a shared 2-core machine: generous bounds (no timing is asserted).
vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });

describe('batch report and promote', () => {
  let dir = '';
  let base = '';
  let sweep = '';
  beforeAll(() => {
    dir = makeStudy();
    base = newBatch(dir, ['--seeds', '42,43,44']);
    sweep = newBatch(dir, ['--seeds', '42,43,44', '--sweep', 'threshold=5'], 'threshold-sweep');
    expect(st(['batch', 'run', STUDY, base, '--jobs', '3'], dir).status).toBe(0);
    expect(st(['batch', 'run', STUDY, sweep, '--jobs', '3'], dir).status).toBe(0);
  }, 300_000);
  afterAll(() => removeRepo(dir));

  it('promote needs a report; the report has intervals; promotion writes latest.txt', () => {
    const early = st(['batch', 'promote', STUDY, base], dir);
    expect(early.status).toBe(1);
    expect(early.stdout).toMatch(/FAIL report_present: no report/);
    expect(fs.existsSync(studyPath(dir, 'registry', 'latest.txt'))).toBe(false);
    const r = stJson(['batch', 'report', STUDY, base], dir);
    expect(r.status, r.stderr).toBe(0);
    const arm = r.json.stability.arms[0];
    expect(arm.seeds).toEqual([42, 43, 44]);
    const s = arm.metrics.adoption_rate;
    expect(s.n).toBe(3);
    expect(s.ci95[1] - s.ci95[0]).toBeCloseTo(2 * 4.302653 * (s.sd / Math.sqrt(3)), 6);
    expect(r.json.stability.single_seed).toBe(false);
    const md = fs.readFileSync(studyPath(dir, 'batches', base, 'report.md'), 'utf8');
    expect(md).toMatch(/## Gate status \(PASS \/ WARN \/ FAIL\)/);
    expect(md).toMatch(/## Stability across seeds/);
    const p = st(['batch', 'promote', STUDY, base], dir);
    expect(p.status, p.stdout).toBe(0);
    expect(fs.readFileSync(studyPath(dir, 'registry', 'latest.txt'), 'utf8')).toBe(`${base}\n`);
  });

  it('paired comparison with the baseline, per seed, with a verdict', () => {
    const r = stJson(['batch', 'report', STUDY, sweep, '--baseline', 'latest'], dir);
    expect(r.status, r.stderr).toBe(0);
    const c = r.json.comparison;
    expect(c).toMatchObject({ baseline_batch: base, comparable: true, reasons: [] });
    const hi = c.arms.find((a: { arm: string }) => a.arm === 'threshold=5');
    expect(hi.seeds).toEqual([42, 43, 44]);
    expect(hi.metrics.adoption_rate.n).toBe(3);
    expect(['better', 'worse', 'inconclusive']).toContain(hi.metrics.adoption_rate.verdict);
    // A higher threshold means fewer adopters on every seed of the stand-in.
    expect(hi.metrics.adoption_rate.mean_diff).toBeLessThan(0);
    const same = c.arms.find((a: { arm: string }) => a.arm === 'baseline');
    expect(same.metrics.adoption_rate.mean_diff).toBe(0);
    expect(same.metrics.adoption_rate.verdict).toBe('inconclusive');
  });

  it('refuses a comparison that is not comparable; --force records it as not comparable; single seed gets the caveat', () => {
    const one = newBatch(dir, ['--seeds', '42'], 'single', { cfg: 'cfg-v02' });
    expect(st(['batch', 'run', STUDY, one], dir).status).toBe(0);
    const refused = st(['batch', 'report', STUDY, one, '--baseline', base], dir);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/not comparable with baseline .*config revision differs: baseline cfg-v01, this batch cfg-v02; seed policy differs: baseline seeds 42, 43, 44, this batch 42/);
    expect(fs.existsSync(studyPath(dir, 'batches', one, 'report.md'))).toBe(false);
    const forced = stJson(['batch', 'report', STUDY, one, '--baseline', base, '--force'], dir);
    expect(forced.status).toBe(0);
    expect(forced.json.comparison).toMatchObject({ comparable: false, forced: true });
    expect(forced.json.stability.single_seed).toBe(true);
    const md = fs.readFileSync(studyPath(dir, 'batches', one, 'report.md'), 'utf8');
    expect(md).toMatch(/\*\*NOT COMPARABLE\*\*/);
    expect(md).toMatch(/Single-seed caveat/);
  });
});
