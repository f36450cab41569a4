/**
 * Remembered up-to-date verdicts end to end (src/studies/state-memo.ts): once a batch's journals
 * have settled, `batch run` on the unchanged batch finds it up to date from the batch cache, with
 * the same answer as without any cache; an edited spec after that still reruns exactly the stages
 * downstream of it, and an appended journal (a run of one variant) is seen.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RACY_MS } from '../../src/studies/hash-paths.js';
import { STUDY, makeStudy, newBatch, removeRepo, stJson, studyPath } from './helpers.js';

// Real processes on a shared 2-core machine: generous bounds (no timing is asserted).
vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });

type Stage = { stage: string; action: string; status: string | null; why: string[] };
type V = { variant: string; outcome: string; stages: Stage[]; run_id: string | null };
type Run = { variants: V[]; counts: Record<string, number>; nothing_to_do: boolean };

const actions = (r: Run, variant: string) => Object.fromEntries((r.variants.find((v) => v.variant === variant)?.stages ?? []).map((s) => [s.stage, s.action]));

/** Wait until every file under `dir` last changed more than RACY_MS ago (a condition, not a timing assertion). */
function waitSettled(dir: string): void {
  const newest = (d: string): number => {
    let t = 0;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).ctimeMs);
    }
    return t;
  };
  while (Date.now() <= newest(dir) + RACY_MS + 500) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
}

/** The verdicts in the batch's cache file. */
function verdicts(cache: string): Record<string, { run_id: string; statuses: Record<string, string | null> }> {
  const dir = path.join(cache, 'studies');
  const files = fs.readdirSync(dir);
  expect(files).toHaveLength(1);
  return (JSON.parse(fs.readFileSync(path.join(dir, files[0] ?? ''), 'utf8')) as { verdicts: ReturnType<typeof verdicts> }).verdicts;
}

describe('batch run with remembered up-to-date verdicts', () => {
  let dir = '';
  let batch = '';
  let cache = '';
  const env = () => ({ RUNR_CACHE_DIR: cache });
  beforeAll(() => {
    dir = makeStudy();
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'runr-verdicts-cache-'));
    batch = newBatch(dir, ['--seeds', '42,43']);
  });
  afterAll(() => {
    removeRepo(dir);
    fs.rmSync(cache, { recursive: true, force: true });
  });

  it('finds a settled unchanged batch up to date from the cache, as it would without one; then sees an edit and an append', () => {
    const first = stJson<Run>(['batch', 'run', STUDY, batch], dir, env());
    expect(first.status, first.stderr).toBe(0);
    expect(first.json.counts.ran).toBe(2 * 7);
    waitSettled(path.join(dir, '.runr'));
    waitSettled(studyPath(dir));

    const look = stJson<Run>(['batch', 'run', STUDY, batch], dir, env()); // loads the records, remembers the verdicts
    expect(look.json.nothing_to_do).toBe(true);
    const remembered = verdicts(cache);
    expect(Object.keys(remembered)).toHaveLength(2);
    expect(Object.values(remembered).map((v) => v.run_id).sort()).toEqual(first.json.variants.map((v) => v.run_id).sort());
    expect(Object.values(Object.values(remembered)[0]?.statuses ?? {})).toEqual(Array(7).fill('PASS'));

    const fromCache = stJson<Run>(['batch', 'run', STUDY, batch], dir, env());
    const noCache = stJson<Run>(['batch', 'run', STUDY, batch], dir, { RUNR_CACHE_DIR: 'off' });
    expect(fromCache.status, fromCache.stderr).toBe(0);
    expect(fromCache.json.nothing_to_do).toBe(true);
    expect(fromCache.json).toEqual(noCache.json);

    // An edited spec after the verdicts: the digest of keys and hashes differs, so the records are loaded again.
    const spec = studyPath(dir, 'specs', 'scenario', `${STUDY}.scn-v01.scenario.yaml`);
    fs.writeFileSync(spec, fs.readFileSync(spec, 'utf8').replace('exposure_rate: 0.3', 'exposure_rate: 0.4'));
    const real = stJson<Run>(['batch', 'run', STUDY, batch], dir, env());
    expect(real.status, real.stderr).toBe(0);
    for (const v of real.json.variants) {
      expect(actions(real.json, v.variant)).toEqual({ sample: 'skipped', network: 'skipped', persona: 'skipped', scenario: 'ran', estimate: 'ran', simulate: 'ran', results: 'ran' });
    }
    const again = stJson<Run>(['batch', 'run', STUDY, batch], dir, env());
    expect(again.json.nothing_to_do).toBe(true);
  });
});
