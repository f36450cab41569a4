/**
 * Verification against the original harness's own artifacts: per-check results equal the
 * verifier's dumps in golden/verify_run (valid runtime and every negative variant), the
 * recomputed execution-log hash equals the stored one. Differences are runr's fixes, noted inline.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runtimeLayout } from '../../src/ops/runtime-layout.js';
import { executionLogHash } from '../../src/ops/log-hash.js';
import { scan } from '../../src/ops/scan.js';
import { verifyCandidate } from '../../src/ops/verify.js';
import type { Verification } from '../../src/core/ops/types.js';
import { copyRuntime, golden, harness, QWEN, RUN_ID, TINY, variantRuntime } from './helpers.js';

/** The verifier's result as the harness dumped it (golden/verify_run/<envelope>.verify.json). */
function goldenVerification(instance: string, variant?: string): Verification {
  return JSON.parse(fs.readFileSync(path.join(golden('verify_run', variant), `${RUN_ID}__${instance}.verify.json`), 'utf8')) as Verification;
}

async function verifyAllIn(runtimeSrc: string, strictTmp: boolean): Promise<Map<string, Verification>> {
  // Verify from a copy named `runtime` so temp-file paths print as the harness printed them.
  const cwd = copyRuntime(runtimeSrc);
  const layout = runtimeLayout(cwd, 'runtime');
  const { candidates } = scan(layout, { runId: RUN_ID, seed: null, models: null });
  const out = new Map<string, Verification>();
  for (const c of candidates) out.set(c.instance_id, await verifyCandidate(layout, c, { strictTmp }));
  return out;
}

describe('execution_log_hash', () => {
  it('recomputes the stored hash of both fixture logs (Python json.dumps byte format)', async () => {
    for (const [inst, stored] of [
      [TINY, '796cba937de02996509065fcb21b439c52daa46aede844f835dd4ff1f3d316b6'],
      [QWEN, 'a9725d01412c92ac5a70f641cede62710385831f92b575045fb01ad753c5bace'],
    ] as const) {
      const r = await executionLogHash(path.join(harness, 'runtime-valid/benchmarks/execution_logs', `${RUN_ID}__${inst}.events.jsonl`));
      expect(r).toEqual({ kind: 'ok', hash: stored });
    }
  });

  it('recomputes the hash the verifier computed for the tampered log', async () => {
    const r = await executionLogHash(path.join(variantRuntime('a_tampered_log'), 'benchmarks/execution_logs', `${RUN_ID}__${QWEN}.events.jsonl`));
    expect(r).toEqual({ kind: 'ok', hash: goldenVerification(QWEN, 'a_tampered_log').execution_log_hash.expected });
  });

  it('a missing log hashes like the harness would not: the check fails', async () => {
    expect(await executionLogHash('/nonexistent/x.events.jsonl')).toEqual({ kind: 'missing' });
  });
});

describe('verify_run on the fixtures', () => {
  it('valid runtime: every check and detail equals the verifier dump', async () => {
    const got = await verifyAllIn(path.join(harness, 'runtime-valid'), false);
    for (const inst of [TINY, QWEN]) {
      // Same keys in the same order: the JSON text is the verifier's (`json.dumps(indent=2)`).
      expect(JSON.stringify(got.get(inst), null, 2)).toBe(JSON.stringify(goldenVerification(inst), null, 2));
    }
  });

  for (const variant of ['a_tampered_log', 'd_schema_1_1', 'f_single_valid_run']) {
    it(`${variant}: same per-check results and details as the verifier dump`, async () => {
      const got = await verifyAllIn(variantRuntime(variant), false);
      const present = variant === 'f_single_valid_run' ? [TINY] : [TINY, QWEN];
      expect([...got.keys()].sort()).toEqual([...present].sort());
      for (const inst of present) expect(got.get(inst)).toEqual(goldenVerification(inst, variant));
    });
  }

  it('b_active_run with --strict-tmp: the harness\'s global temp-file check, same result for both runs', async () => {
    const got = await verifyAllIn(variantRuntime('b_active_run'), true);
    for (const inst of [TINY, QWEN]) expect(got.get(inst)).toEqual(goldenVerification(inst, 'b_active_run'));
  });

  it('b_active_run (runr fix): no_tmp_remains looks at the run\'s own files, so only the active run fails it', async () => {
    const got = await verifyAllIn(variantRuntime('b_active_run'), false);
    // The harness failed tinyllama too, because of qwen's temp file.
    const tiny = goldenVerification(TINY, 'b_active_run');
    expect(tiny.no_tmp_remains.pass).toBe(false);
    expect(got.get(TINY)).toEqual({ ...tiny, no_tmp_remains: { pass: true, found: [] }, overall: { pass: true } });
    expect(got.get(QWEN)).toEqual(goldenVerification(QWEN, 'b_active_run'));
  });
});
