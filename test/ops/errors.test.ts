/**
 * Broken inputs give clear errors and never abort the other runs: malformed envelopes, missing or
 * malformed logs, unreadable files, a runtime dir that does not exist. (The harness crashed on
 * most of these, or silently found nothing.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { BUILTIN_PRESETS } from '../../src/core/ops/presets.js';
import { resolveSettings } from '../../src/core/ops/settings.js';
import { runOps } from '../../src/ops/lifecycle.js';
import { copyRuntime, harness, RUN_ID, tempDir, TINY } from './helpers.js';

const AUTO = 'runtime/benchmarks/autonomous';
const LOGS = 'runtime/benchmarks/execution_logs';

/** The valid fixture plus broken sibling runs of the same run id. */
function brokenRuntime(): string {
  const cwd = copyRuntime(path.join(harness, 'runtime-valid'));
  const env = fs.readFileSync(path.join(cwd, AUTO, `${RUN_ID}__${TINY}.run.json`), 'utf8');
  const log = fs.readFileSync(path.join(cwd, LOGS, `${RUN_ID}__${TINY}.events.jsonl`), 'utf8');
  const add = (inst: string, envText: string | null, logText: string | Buffer | null | { dir: true }) => {
    if (envText !== null) fs.writeFileSync(path.join(cwd, AUTO, `${RUN_ID}__${inst}.run.json`), envText.replaceAll(TINY, inst));
    if (logText !== null && typeof logText === 'object' && !Buffer.isBuffer(logText)) fs.mkdirSync(path.join(cwd, LOGS, `${RUN_ID}__${inst}.events.jsonl`));
    else if (logText !== null) fs.writeFileSync(path.join(cwd, LOGS, `${RUN_ID}__${inst}.events.jsonl`), logText);
  };
  add('b_malformed_envelope', '{"schema_version": "1.4",', null);
  add('c_missing_log', env, null);
  add('d_log_is_a_directory', env, { dir: true });
  add('e_malformed_log_line', env, `${log}{"event_id": "x", "stage": \n`);
  add('f_log_not_utf8', env, Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d, 0x0a]));
  add('g_log_line_not_object', env, `${log}[1, 2]\n`);
  return cwd;
}

const settingsFor = (minValid: number) => resolveSettings({ runtimeDir: 'runtime', runId: RUN_ID, minValid }, BUILTIN_PRESETS, undefined).settings;

describe('broken runs next to good ones', () => {
  it('each broken run fails with a clear reason; the good runs are valid and reported', async () => {
    const cwd = brokenRuntime();
    const r = await runOps('lifecycle', settingsFor(2), { cwd, watch: null });
    expect(r.classified.valid.map((o) => o.candidate.instance_id).sort()).toEqual(['20261121T193657_seed1337', '20261121T193659_seed1337']);
    const byInst = new Map(r.runs.map((o) => [o.candidate.instance_id, o]));
    expect(byInst.get('b_malformed_envelope')?.candidate.status).toBe('unreadable');
    expect(byInst.get('b_malformed_envelope')?.candidate.error).toMatch(/b_malformed_envelope\.run\.json: not valid JSON/);
    const logCheck = (inst: string) => byInst.get(inst)?.verification?.execution_log_hash;
    expect(logCheck('c_missing_log')).toEqual({ pass: false, expected: null, actual: null, error: 'execution log not found' });
    expect(logCheck('d_log_is_a_directory')).toMatchObject({ pass: false, error: 'is a directory, expected a file' });
    expect(logCheck('e_malformed_log_line')?.error).toMatch(/^line 541: not valid JSON \(Expecting value/);
    expect(logCheck('f_log_not_utf8')).toMatchObject({ pass: false, error: expect.stringMatching(/not valid UTF-8/) });
    expect(logCheck('g_log_line_not_object')?.error).toBe('line 541: not a JSON object');
    expect(r.report?.generated).toBe(true);
    const text = fs.readFileSync(path.join(cwd, r.report!.shown), 'utf8');
    expect(text).toContain('- **tinyllama:latest** (c_missing_log):\n  - execution_log_hash: FAIL\n  - overall: FAIL');
    expect(text).toContain('- **** (b_malformed_envelope):\n  - not verified: unreadable: ');
  });

  it.skipIf(process.getuid?.() === 0)('an unreadable envelope (no permission) is reported, not fatal (skipped as root: root reads anything)', async () => {
    const cwd = brokenRuntime();
    const file = path.join(cwd, AUTO, `${RUN_ID}__c_missing_log.run.json`);
    fs.chmodSync(file, 0o000);
    const r = await runOps('verify', settingsFor(1), { cwd, watch: null });
    expect(r.runs.find((o) => o.candidate.instance_id === 'c_missing_log')?.candidate.error).toMatch(/permission denied/);
    fs.chmodSync(file, 0o644);
  });
});

describe('invalid input', () => {
  it('a runtime dir that does not exist is an invalid-input error naming the flag', async () => {
    const cwd = tempDir();
    const err = await runOps('lifecycle', settingsFor(1), { cwd, watch: null }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe('--runtime-dir: runtime: directory not found');
  });

  it('a runtime dir without benchmarks/autonomous: no runs, a warning, the awaiting report', async () => {
    const cwd = tempDir();
    fs.mkdirSync(path.join(cwd, 'runtime'));
    const r = await runOps('lifecycle', settingsFor(1), { cwd, watch: null });
    expect(r.runs).toEqual([]);
    expect(r.warnings[0]).toMatch(/directory not found/);
    expect(r.report?.kind).toBe('awaiting');
  });
});
