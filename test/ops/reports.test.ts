/**
 * Reports against the original's outputs: the compaction-signal report is byte-identical for the
 * same runs (fixture runs, and a richer set rendered by the original report code), the "awaiting"
 * text is the harness's, and the excluded-runs lines are the harness's abort lines.
 * runr's fix, noted where it shows: failing runs no longer abort the report.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { excludedLines } from '../../src/core/ops/report-blocks.js';
import { renderCompactionSignal } from '../../src/core/ops/report-compaction.js';
import { BUILTIN_PRESETS } from '../../src/core/ops/presets.js';
import { resolveSettings } from '../../src/core/ops/settings.js';
import type { OpsFlags } from '../../src/core/ops/settings.js';
import { runOps } from '../../src/ops/lifecycle.js';
import { copyRuntime, harness, QWEN, readGolden, richFixture, RUN_ID, variantRuntime } from './helpers.js';

const PHASE4B_REPORT = 'runtime/benchmarks/reports/phase4b_minimal_compaction_signal.report.md';

async function lifecycle(cwd: string, flags: OpsFlags, stage: 'lifecycle' | 'report' = 'lifecycle') {
  const { settings } = resolveSettings({ runtimeDir: 'runtime', ...flags }, BUILTIN_PRESETS, undefined);
  return runOps(stage, settings, { cwd, watch: null });
}

describe('compaction-signal report', () => {
  it('phase4b on the valid fixture runs: byte-identical to the original report', async () => {
    const cwd = copyRuntime(path.join(harness, 'runtime-valid'));
    const r = await lifecycle(cwd, { preset: 'phase4b' });
    expect(r.report?.generated).toBe(true);
    expect(fs.readFileSync(path.join(cwd, PHASE4B_REPORT), 'utf8')).toBe(readGolden('runops_preset_phase4b', `written/${PHASE4B_REPORT}`));
  });

  it('no runs: the same text as the original standalone report (which always found 0 runs)', () => {
    const p = BUILTIN_PRESETS.phase4b!;
    const text = renderCompactionSignal({ title: p.title!, subtitle: p.subtitle!, run_id: RUN_ID, runs: [], excluded: [] });
    expect(text).toBe(readGolden('phase4b_minimal_report_standalone', `written/${PHASE4B_REPORT}`));
  });

  it('richer runs (compaction, rules, failures, floats, a duplicated model): identical to the original report code', async () => {
    const cwd = copyRuntime(path.join(richFixture, 'runtime'));
    const r = await lifecycle(cwd, { runId: 'rich_run', report: 'compaction-signal', minValid: 3 });
    expect(r.classified.valid).toHaveLength(3);
    expect(r.report?.generated).toBe(true);
    const written = fs.readFileSync(path.join(cwd, 'runtime/benchmarks/reports/rich_run.report.md'), 'utf8');
    // The custom-mode title is the harness's "Run Report"; the golden was rendered with another title.
    expect(written.replace(/^# Run Report\n/, '# Rich Compaction Report\n')).toBe(fs.readFileSync(path.join(richFixture, 'expected.report.md'), 'utf8'));
  });
});

describe('when runs fail', () => {
  it('f_single_valid_run: the harness\'s "Awaiting valid artifacts." report, byte for byte', async () => {
    const cwd = copyRuntime(variantRuntime('f_single_valid_run'));
    const r = await lifecycle(cwd, { preset: 'phase4b' });
    expect(r.report?.kind).toBe('awaiting');
    expect(fs.readFileSync(path.join(cwd, PHASE4B_REPORT), 'utf8')).toBe(readGolden('runops_preset_phase4b', `written/${PHASE4B_REPORT}`, 'f_single_valid_run'));
  });

  for (const variant of ['a_tampered_log', 'd_schema_1_1']) {
    it(`${variant} (runr fix): the valid run is kept; the failure is listed with the harness's abort lines`, async () => {
      const cwd = copyRuntime(variantRuntime(variant));
      const r = await lifecycle(cwd, { preset: 'phase4b' });
      expect(r.classified.valid.map((o) => o.candidate.model_id)).toEqual(['tinyllama:latest']);
      expect(r.classified.failures.map((o) => o.candidate.instance_id)).toEqual([QWEN]);
      // Only 1 of 2 required valid runs: the awaiting text, then the excluded run.
      const text = fs.readFileSync(path.join(cwd, PHASE4B_REPORT), 'utf8');
      const abort = readGolden('runops_preset_phase4b', `written/${PHASE4B_REPORT}`, variant);
      const abortLines = abort.split('\n').slice(4).join('\n'); // the per-failure lines of the original abort report
      expect(text).toBe(`# Phase 4B Minimal Compaction Signal Report\n\n**Awaiting valid artifacts.** Valid runs: 1/2 required.\n\n## Excluded runs\n\n${abortLines}`);
    });
  }

  it('excluded-run lines are the harness\'s abort-report lines', () => {
    const abort = readGolden('runops_preset_phase4b', `written/${PHASE4B_REPORT}`, 'b_active_run');
    const lines = excludedLines([{ model_id: 'tinyllama:latest', instance_id: '20261121T193657_seed1337', failed_checks: ['no_tmp_remains'], reason: null }]);
    expect(['# Phase 4B Minimal Compaction Signal Report', '', '## VERIFICATION FAILURE — Report Aborted', '', ...lines].join('\n')).toBe(abort);
  });

  it('with enough valid runs the report is generated and the failures are appended (runr fix: never aborted wholesale)', async () => {
    const cwd = copyRuntime(variantRuntime('a_tampered_log'));
    const r = await lifecycle(cwd, { preset: 'phase4b', minValid: 1 });
    expect(r.report?.generated).toBe(true);
    const text = fs.readFileSync(path.join(cwd, PHASE4B_REPORT), 'utf8');
    expect(text).toContain('- Runs found: 1\n');
    expect(text).toContain(`## Excluded runs\n\n- **qwen2.5-coder:7b** (${QWEN}):\n  - execution_log_hash: FAIL\n  - overall: FAIL\n\n---`);
    expect(text.endsWith('---')).toBe(true);
  });
});

describe('summary report', () => {
  it('lists runs per model and seed, metrics and verification', async () => {
    const cwd = copyRuntime(variantRuntime('a_tampered_log'));
    const r = await lifecycle(cwd, { runId: RUN_ID, report: 'summary' }, 'report');
    expect(r.report?.generated).toBe(true);
    const text = fs.readFileSync(path.join(cwd, `runtime/benchmarks/reports/${RUN_ID}.report.md`), 'utf8');
    expect(text).toMatch(/^# Run Report\n\nRun ID: autonomous_exec_v0_1_llm_phase4b\. Summary/);
    expect(text).toContain('| tinyllama:latest | 1337 | 20261121T193657_seed1337 | normal | 60/60 | 0 | 1.4 | 796cba937de02996... |');
    expect(text).toContain('| estimated_token_usage_per_case_mean | 237.33 |');
    expect(text).toContain(`| qwen2.5-coder:7b | ${QWEN} | FAIL | execution_log_hash |`);
  });

  it('custom mode writes a report (the harness wrote nothing) at the path it printed', async () => {
    const cwd = copyRuntime(path.join(harness, 'runtime-valid'));
    const r = await lifecycle(cwd, { runId: RUN_ID, seed: 1337, models: ['tinyllama:latest', 'qwen2.5-coder:7b'], minValid: 2 });
    expect(readGolden('runops_custom', 'files_written.txt')).toBe('');
    expect(r.report?.shown).toBe(`runtime/benchmarks/reports/${RUN_ID}.report.md`);
    expect(fs.existsSync(path.join(cwd, r.report!.shown))).toBe(true);
  });
});
