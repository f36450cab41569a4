/** Presets, flag overrides (runr fix: flags win over a preset and say so), config presets, flags. */
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { BUILTIN_PRESETS, OpsConfigSchema, allPresets } from '../../src/core/ops/presets.js';
import { customReportFilename, resolveSettings, splitArgv } from '../../src/core/ops/settings.js';
import { parseOpsFlags } from '../../src/cli/commands/ops/ops-flags.js';

describe('presets', () => {
  it('phase4b is the harness preset: run id, seed, the two models, min-valid 2, title, file', () => {
    const { settings, notes } = resolveSettings({ preset: 'phase4b' }, BUILTIN_PRESETS, undefined);
    expect(settings).toMatchObject({
      runId: 'autonomous_exec_v0_1_llm_phase4b',
      seed: 1337,
      models: ['tinyllama:latest', 'qwen2.5-coder:7b'],
      minValid: 2,
      report: 'compaction-signal',
      title: 'Phase 4B Minimal Compaction Signal Report',
      subtitle: 'Absolute metrics from minimal live confirmation runs (2 models, seed 1337).',
      reportFilename: 'phase4b_minimal_compaction_signal.report.md',
      runtimeDir: 'runtime',
      pollSec: 15,
      timeoutSec: 600,
    });
    expect(notes).toEqual([]);
  });

  it('explicit flags override the preset, each override noted (the harness ignored them silently)', () => {
    const { settings, notes } = resolveSettings({ preset: 'phase4b', runId: 'does_not_exist', seed: 1, models: ['nobody'], minValid: 5 }, BUILTIN_PRESETS, undefined);
    expect(settings).toMatchObject({ runId: 'does_not_exist', seed: 1, models: ['nobody'], minValid: 5 });
    expect(notes).toEqual([
      "--run-id does_not_exist overrides preset phase4b's value autonomous_exec_v0_1_llm_phase4b",
      "--seed 1 overrides preset phase4b's value 1337",
      "--models nobody overrides preset phase4b's value tinyllama:latest,qwen2.5-coder:7b",
      "--min-valid 5 overrides preset phase4b's value 2",
    ]);
    // The same value as the preset's is not an override.
    expect(resolveSettings({ preset: 'phase4b', seed: 1337 }, BUILTIN_PRESETS, undefined).notes).toEqual([]);
  });

  it('an unknown preset is invalid input listing the available ones (the harness raised ValueError, exit 1)', () => {
    expect(() => resolveSettings({ preset: 'phase9' }, BUILTIN_PRESETS, undefined)).toThrow(new UserError('--preset: unknown preset "phase9" (available: phase4b)'));
  });

  it('custom mode: the harness defaults, a summary report named after the run id (glob characters replaced)', () => {
    const { settings } = resolveSettings({}, BUILTIN_PRESETS, 'bench/runtime');
    expect(settings).toMatchObject({ runId: 'autonomous_exec_v0_1_llm', minValid: 1, report: 'summary', title: 'Run Report', reportFilename: 'autonomous_exec_v0_1_llm.report.md', runtimeDir: 'bench/runtime' });
    expect(customReportFilename('autonomous_exec_v0_1_llm*')).toBe('autonomous_exec_v0_1_llm_.report.md');
  });

  it('user presets come from the config (ops.presets) and may replace a built-in one', () => {
    const config = OpsConfigSchema.parse({ presets: { nightly: { run_id: 'nightly_*', seed: 7, min_valid: 3, report: 'summary', title: 'Nightly' } } });
    const { settings } = resolveSettings({ preset: 'nightly' }, allPresets(config), undefined);
    expect(settings).toMatchObject({ runId: 'nightly_*', seed: 7, minValid: 3, report: 'summary', title: 'Nightly', reportFilename: 'nightly.report.md', label: 'nightly' });
    expect(OpsConfigSchema.safeParse({ presets: { x: { run_id: 'a', report_filename: '../escape.md' } } }).success).toBe(false);
    expect(OpsConfigSchema.safeParse({ presets: { x: { run_id: 'a', colour: 'red' } } }).success).toBe(false);
  });
});

describe('flags', () => {
  it('parses and validates, naming the flag', () => {
    expect(parseOpsFlags({ seed: '1337', models: 'a, b', minValid: '2', poll: '0.5', timeout: '0', verifier: "node 'my verifier.js' --x" })).toEqual({
      seed: 1337,
      models: ['a', 'b'],
      minValid: 2,
      poll: 0.5,
      timeout: 0,
      verifier: ['node', 'my verifier.js', '--x'],
    });
    expect(parseOpsFlags({ models: '' })).toEqual({ models: null });
    expect(() => parseOpsFlags({ seed: 'x' })).toThrow(/--seed: expected an integer/);
    expect(() => parseOpsFlags({ minValid: '-1' })).toThrow(/--min-valid/);
    expect(() => parseOpsFlags({ poll: '0' })).toThrow(/--poll/);
    expect(() => parseOpsFlags({ report: 'pdf' })).toThrow(/--report: unknown generator "pdf"/);
  });
  it('splits a verifier command line without a shell', () => {
    expect(splitArgv(`a "b c" 'd e' f\\ g "h\\"i"`)).toEqual(['a', 'b c', 'd e', 'f g', 'h"i']);
    expect(() => splitArgv('a "b')).toThrow(/unterminated/);
  });
});
