/**
 * `runr ops` as users run it (the built CLI) on copies of the original harness's artifacts,
 * compared with what the original printed and wrote (test/fixtures/benchmark-harness/golden).
 * Where runr differs on purpose, the test says which fix it is (FORMATS.md, "runr's decisions").
 * Run `npm run build` first.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runr, runrBin } from '../helpers/cli.js';
import { copyRuntime, harness, QWEN, readGolden, RUN_ID, TINY, variantRuntime } from './helpers.js';

const PHASE4B_REPORT = 'runtime/benchmarks/reports/phase4b_minimal_compaction_signal.report.md';

/** A git repository holding a copy of a runtime dir as ./runtime. */
function repoWith(runtimeSrc: string): string {
  const cwd = copyRuntime(runtimeSrc);
  spawnSync('git', ['init', '-q', cwd]);
  return cwd;
}
const valid = () => repoWith(path.join(harness, 'runtime-valid'));
/** The golden command's argv after `python3 -m benchmarks.harness.runops`. */
const goldenArgs = (cmd: string): string[] => {
  const text = readGolden(cmd, 'command.txt').trim();
  const args = text.replace(/^python3 -m benchmarks\.harness\.\w+ /, '').match(/'[^']*'|\S+/g) ?? [];
  return args.map((a) => a.replace(/^'(.*)'$/, '$1'));
};
const opsRecords = (cwd: string): Array<Record<string, unknown>> => {
  const dir = path.join(cwd, '.runr/runs');
  if (!fs.existsSync(dir)) return [];
  // A run being created has its directory before its RUN.json: skip it.
  return fs
    .readdirSync(dir)
    .filter((id) => id.startsWith('run_') && fs.existsSync(path.join(dir, id, 'record/RUN.json')))
    .map((id) => JSON.parse(fs.readFileSync(path.join(dir, id, 'record/RUN.json'), 'utf8')) as Record<string, unknown>);
};

describe('the original commands on the valid runs', () => {
  it('runops --preset phase4b: same stdout, same report bytes, exit 0, recorded as an ops run', () => {
    const cwd = valid();
    const r = runr(['ops', ...goldenArgs('runops_preset_phase4b')], { cwd });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(readGolden('runops_preset_phase4b', 'stdout.txt'));
    expect(fs.readFileSync(path.join(cwd, PHASE4B_REPORT), 'utf8')).toBe(readGolden('runops_preset_phase4b', `written/${PHASE4B_REPORT}`));
    const [rec] = opsRecords(cwd);
    expect(rec).toMatchObject({ kind: 'ops', status: 'PASSED', workflow: { name: 'ops', slug: 'ops-phase4b', artifact_path: 'runtime' }, metrics: { valid_runs: 2 } });
    expect((rec?.ops as { report_path: string }).report_path).toBe(PHASE4B_REPORT);
    // …so it shows in `runr find`.
    const found = runr(['find', "kind = 'ops'", '--json'], { cwd });
    expect((JSON.parse(found.stdout) as { runs: Array<{ run_id: string }> }).runs.map((x) => x.run_id)).toEqual([rec?.run_id]);
  });

  it('phase4b_orchestrator = runr ops --preset phase4b --recommend: same stdout and report', () => {
    const cwd = valid();
    const r = runr(['ops', '--runtime-dir', 'runtime', '--preset', 'phase4b', '--recommend'], { cwd });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(readGolden('phase4b_orchestrator', 'stdout.txt'));
    expect(fs.readFileSync(path.join(cwd, PHASE4B_REPORT), 'utf8')).toBe(readGolden('phase4b_orchestrator', `written/${PHASE4B_REPORT}`));
  });

  for (const cmd of ['runops_custom', 'runops_custom_no_filters']) {
    it(`${cmd}: same stdout; runr fix: the report it names is written (the harness wrote none)`, () => {
      const cwd = valid();
      const r = runr(['ops', ...goldenArgs(cmd)], { cwd });
      expect(r.stdout).toBe(readGolden(cmd, 'stdout.txt'));
      expect(r.status).toBe(0);
      expect(readGolden(cmd, 'files_written.txt')).toBe('');
      expect(fs.readFileSync(path.join(cwd, `runtime/benchmarks/reports/${RUN_ID}.report.md`), 'utf8')).toMatch(/^# Run Report\n/);
    });
  }

  it('runops_custom_doc_run_id: same stdout (nothing matches); runr fix: exit 1, no valid runs', () => {
    const cwd = valid();
    const r = runr(['ops', ...goldenArgs('runops_custom_doc_run_id')], { cwd });
    expect(r.stdout).toBe(readGolden('runops_custom_doc_run_id', 'stdout.txt'));
    expect(r.status).toBe(1);
    expect(runr(['ops', ...goldenArgs('runops_custom_doc_run_id'), '--exit-zero'], { cwd }).status).toBe(0);
  });

  it('runops_custom_glob_run_id (runr fix): the glob resolves per file, both runs verify, the report name has no "*"', () => {
    const cwd = valid();
    const r = runr(['ops', ...goldenArgs('runops_custom_glob_run_id')], { cwd });
    expect(r.status).toBe(0);
    // The harness: instance "autonomous_exec_v0_1_..." and verification FAIL for both.
    expect(readGolden('runops_custom_glob_run_id', 'stdout.txt')).toContain('| qwen2.5-coder:7b | autonomous_exec_v0_1_... | FAIL |');
    expect(r.stdout).toContain(`| qwen2.5-coder:7b | ${QWEN} | PASS | normal | 60/60 | 0 | 1.4 |`);
    expect(r.stdout).toContain('Report: runtime/benchmarks/reports/autonomous_exec_v0_1_llm_.report.md');
  });

  it('runops_preset_ignored_flags (runr fix): the flags override the preset, said on stderr; nothing matches, exit 1', () => {
    const cwd = valid();
    const r = runr(['ops', ...goldenArgs('runops_preset_ignored_flags')], { cwd });
    expect(r.stderr).toContain("note: --run-id does_not_exist overrides preset phase4b's value autonomous_exec_v0_1_llm_phase4b");
    expect(r.stderr).toContain("note: --min-valid 5 overrides preset phase4b's value 2");
    expect(r.status).toBe(1);
    expect(fs.readFileSync(path.join(cwd, PHASE4B_REPORT), 'utf8')).toBe('# Phase 4B Minimal Compaction Signal Report\n\n**Awaiting valid artifacts.** Valid runs: 0/5 required.\n');
  });

  it('runops_unknown_preset (runr fix): a one-line error and exit 2 instead of a traceback and exit 1', () => {
    const cwd = valid();
    expect(readGolden('runops_unknown_preset', 'exit_code.txt').trim()).toBe('1');
    const r = runr(['ops', ...goldenArgs('runops_unknown_preset')], { cwd });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('error: --preset: unknown preset "phase9" (available: phase4b)\n');
    expect(opsRecords(cwd)).toEqual([]);
  });
});

describe('the negative variants', () => {
  it('a_tampered_log: the failing run is listed as the harness lists it; runr keeps the valid run in the table; exit 1', () => {
    const cwd = repoWith(variantRuntime('a_tampered_log'));
    const r = runr(['ops', '--runtime-dir', 'runtime', '--preset', 'phase4b'], { cwd });
    expect(r.status).toBe(1);
    const goldenOut = readGolden('runops_preset_phase4b', 'stdout.txt', 'a_tampered_log');
    const block = goldenOut.slice(goldenOut.indexOf('**Invariant regressions:**'));
    expect(r.stdout.endsWith(block)).toBe(true);
    expect(r.stdout).toContain(`| tinyllama:latest | ${TINY} | PASS |`);
    expect(r.stdout).toContain(`| qwen2.5-coder:7b | ${QWEN} | FAIL |`);
    expect(runr(['ops', '--runtime-dir', 'runtime', '--preset', 'phase4b', '--exit-zero'], { cwd }).status).toBe(0);
  });

  it('d_schema_1_1 --recommend: the wrapper\'s abort recommendation', () => {
    const cwd = repoWith(variantRuntime('d_schema_1_1'));
    const r = runr(['ops', '--runtime-dir', 'runtime', '--preset', 'phase4b', '--recommend'], { cwd });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('**Recommendation:**\n  Abort Phase 4B direction — fix verification failures before reporting.\n');
  });

  it('b_active_run: the active run times out (monitor_timeout); runr fix: the other run stays valid', () => {
    const cwd = repoWith(variantRuntime('b_active_run'));
    const r = runr(['ops', '--runtime-dir', 'runtime', '--preset', 'phase4b', '--timeout', '1', '--poll', '0.2', '--json'], { cwd });
    expect(r.status).toBe(1);
    const j = JSON.parse(r.stdout) as { runs: Array<{ instance_id: string; scan_status: string; monitor: { monitor_timeout: boolean } | null; verifier_pass: boolean | null }>; valid_runs: unknown[]; report_kind: string };
    const qwen = j.runs.find((x) => x.instance_id === QWEN);
    expect(qwen).toMatchObject({ scan_status: 'active', monitor: { monitor_timeout: true }, verifier_pass: null });
    expect(j.valid_runs).toEqual([{ model_id: 'tinyllama:latest', instance_id: TINY }]);
    expect(j.report_kind).toBe('awaiting');
  });

  it('f_single_valid_run: the awaiting report as the harness writes it; exit 1', () => {
    const cwd = repoWith(variantRuntime('f_single_valid_run'));
    const r = runr(['ops', '--runtime-dir', 'runtime', '--preset', 'phase4b'], { cwd });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(readGolden('runops_preset_phase4b', 'stdout.txt', 'f_single_valid_run'));
    expect(fs.readFileSync(path.join(cwd, PHASE4B_REPORT), 'utf8')).toBe(readGolden('runops_preset_phase4b', `written/${PHASE4B_REPORT}`, 'f_single_valid_run'));
  });
});

describe('--json and the stages', () => {
  it('lifecycle --json: the lifecycle result with per-run status and the six checks', () => {
    const cwd = valid();
    const r = runr(['ops', '--runtime-dir', 'runtime', '--preset', 'phase4b', '--json'], { cwd });
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as Record<string, unknown> & { runs: Array<{ verification: Record<string, unknown> }> };
    expect(j).toMatchObject({ stage: 'lifecycle', report_path: PHASE4B_REPORT, report_generated: true, verification_failures: [], invalid_runs: [], exit_code: 0 });
    expect(j.valid_runs).toHaveLength(2);
    expect(Object.keys(j.runs[0]!.verification)).toEqual(['total_cases_completed', 'execution_log_hash', 'sandbox_hashes_recorded', 'no_tmp_remains', 'schema_version_valid', 'compaction_metrics_consistent', 'overall']);
    expect(typeof j.ops_run_id).toBe('string');
  });

  it('scan lists and records nothing; verify and report work alone; monitor with nothing to wait for exits 0', () => {
    const cwd = repoWith(variantRuntime('a_tampered_log'));
    const scanR = runr(['ops', 'scan', '--runtime-dir', 'runtime', '--run-id', RUN_ID, '--json'], { cwd });
    expect(scanR.status).toBe(0);
    expect((JSON.parse(scanR.stdout) as { runs: Array<{ status: string }> }).runs.map((x) => x.status)).toEqual(['complete', 'complete']);
    expect(opsRecords(cwd)).toEqual([]);
    const verifyR = runr(['ops', 'verify', '--runtime-dir', 'runtime', '--run-id', RUN_ID], { cwd });
    expect(verifyR.status).toBe(1);
    expect(verifyR.stdout).toContain(`FAIL qwen2.5-coder:7b (${QWEN}): execution_log_hash`);
    expect(runr(['ops', 'monitor', '--runtime-dir', 'runtime', '--run-id', RUN_ID], { cwd }).status).toBe(0);
    const reportR = runr(['ops', 'report', '--runtime-dir', 'runtime', '--preset', 'phase4b', '--min-valid', '1'], { cwd });
    expect(reportR.status).toBe(1); // a verification failure makes the outcome untrustworthy, even with a report
    expect(fs.readFileSync(path.join(cwd, PHASE4B_REPORT), 'utf8')).toContain('## Excluded runs');
    expect(opsRecords(cwd).map((x) => (x.params as { stage: string }).stage).sort()).toEqual(['monitor', 'report', 'verify']);
    expect(runr(['ops', 'verify', '--runtime-dir', 'runtime', '--run-id', RUN_ID, '--no-record'], { cwd }).status).toBe(1);
    expect(opsRecords(cwd)).toHaveLength(3);
  });

  it('a runtime dir that does not exist: exit 2, one line naming the flag', () => {
    const cwd = valid();
    const r = runr(['ops', '--runtime-dir', 'nope'], { cwd });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('error: --runtime-dir: nope: directory not found\n');
  });

  it('an external verifier runs per run; its exit code and JSON output are recorded', () => {
    const cwd = valid();
    fs.writeFileSync(
      path.join(cwd, 'verifier.mjs'),
      "const env = process.argv[2]; const qwen = env.includes('193659');\nconsole.log(JSON.stringify({ envelope: env.split('/').pop(), model: process.env.RUNR_OPS_MODEL_ID }));\nprocess.exit(qwen ? 3 : 0);\n",
    );
    const r = runr(['ops', 'verify', '--runtime-dir', 'runtime', '--run-id', RUN_ID, '--verifier', 'node verifier.mjs {envelope}', '--json'], { cwd });
    expect(r.status).toBe(1);
    const j = JSON.parse(r.stdout) as { runs: Array<{ model_id: string; failed_checks: string[]; verification: { external_verifier: Record<string, unknown> } }> };
    const qwen = j.runs.find((x) => x.model_id === 'qwen2.5-coder:7b');
    expect(qwen?.failed_checks).toEqual(['external_verifier']);
    expect(qwen?.verification.external_verifier).toMatchObject({ pass: false, exit_code: 3, output: { envelope: `${RUN_ID}__${QWEN}.run.json`, model: 'qwen2.5-coder:7b' } });
    expect(j.runs.find((x) => x.model_id === 'tinyllama:latest')?.verification.external_verifier).toMatchObject({ pass: true, exit_code: 0 });
  });

  it('a user preset from .runr/runr.config.json (ops.presets), and a config error names file and field', () => {
    const cwd = valid();
    fs.mkdirSync(path.join(cwd, '.runr'));
    const config = { ops: { presets: { mine: { run_id: RUN_ID, models: ['tinyllama:latest'], min_valid: 1, report: 'summary', title: 'Mine', report_filename: 'mine.md' } } } };
    fs.writeFileSync(path.join(cwd, '.runr/runr.config.json'), JSON.stringify(config));
    const r = runr(['ops', '--runtime-dir', 'runtime', '--preset', 'mine'], { cwd });
    expect(r.status).toBe(0);
    expect(fs.readFileSync(path.join(cwd, 'runtime/benchmarks/reports/mine.md'), 'utf8')).toMatch(/^# Mine\n/);
    fs.writeFileSync(path.join(cwd, '.runr/runr.config.json'), JSON.stringify({ ops: { presets: { bad: { run_id: 'x', seed: 'one' } } } }));
    const bad = runr(['ops', '--runtime-dir', 'runtime', '--preset', 'bad'], { cwd });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^error: \.runr\/runr\.config\.json: ops\.presets\.bad\.seed: /);
  });

  it('Ctrl-C while monitoring: exit 130, the invocation recorded as CANCELED', async () => {
    const cwd = repoWith(variantRuntime('b_active_run'));
    const child = spawn(process.execPath, [runrBin, 'ops', '--runtime-dir', 'runtime', '--preset', 'phase4b'], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    // Wait until the record says it is monitoring, then interrupt.
    for (let i = 0; i < 200 && !opsRecords(cwd).some((x) => x.status === 'RUNNING'); i++) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    expect(stderr).toContain('interrupted');
    expect(opsRecords(cwd)[0]).toMatchObject({ status: 'CANCELED', metrics: { exit_code: 130 } });
  });
});
