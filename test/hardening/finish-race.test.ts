/**
 * 16 concurrent `gate finish` writers on one attempt (issue 9): exactly one is the first finish;
 * the other 15 are reported (`revalidation: true`) and recorded (`revalidations` on the attempt)
 * as re-validations. Three rounds, each on a fresh attempt.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRepo } from '../helpers/cli.js';
import { pool, removeRepo, runrAsync } from './helpers.js';

const WRITERS = 16;
const ROUNDS = 3;
let dir = '';
let runId = '';
let runDir = '';

beforeAll(async () => {
  dir = makeRepo();
  const r = await runrAsync(['run', 'start', '--workflow', 'visual-essay', '--slug', 'race', '--artifact-path', 'a', '--json'], { cwd: dir });
  expect(r.status, r.stderr).toBe(0);
  ({ run_id: runId, run_dir: runDir } = JSON.parse(r.stdout) as { run_id: string; run_dir: string });
});
afterAll(() => removeRepo(dir));

describe('concurrent gate finish', () => {
  for (let round = 1; round <= ROUNDS; round++) {
    it(`round ${round}: ${WRITERS} writers, exactly one first finish`, { timeout: 300_000 }, async () => {
      const started = await runrAsync(['gate', 'start', '--run', runId, '--gate', 'G1', '--agent', `a${round}`, '--json'], { cwd: dir });
      expect(started.status, started.stderr).toBe(0);
      const results = await pool(Array.from({ length: WRITERS }, (_, i) => i), WRITERS, () => runrAsync(['gate', 'finish', '--run', runId, '--gate', 'G1', '--json'], { cwd: dir }));
      const outs = results.map((r) => {
        expect([0, 1], r.stderr).toContain(r.status);
        return JSON.parse(r.stdout) as { attempt: number; revalidation: boolean };
      });
      expect(new Set(outs.map((o) => o.attempt))).toEqual(new Set([round]));
      expect(outs.filter((o) => !o.revalidation), 'first finishes').toHaveLength(1);
      const run = JSON.parse(fs.readFileSync(path.join(dir, runDir, 'record', 'RUN.json'), 'utf8')) as { gates: Array<{ gate: string; attempts: Array<{ attempt: number; revalidations?: unknown[] }> }> };
      const attempt = run.gates.find((g) => g.gate === 'G1')?.attempts.find((a) => a.attempt === round);
      expect(attempt?.revalidations ?? []).toHaveLength(WRITERS - 1);
      const audit = await runrAsync(['audit', runId, '--json'], { cwd: dir });
      expect((JSON.parse(audit.stdout) as { journal: { chain_ok: boolean } }).journal.chain_ok).toBe(true);
    });
  }
});
