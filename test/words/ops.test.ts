/**
 * Issue 15, items 10 and 11: `runr ops` says why a run is not valid (after the harness's table, which
 * stays byte for byte), and a temp envelope nobody writes any more is judged abandoned at once
 * (`--stale-after`) instead of costing the full timeout.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runr } from '../helpers/cli.js';
import { QWEN, RUN_ID, TINY, copyRuntime, harness, variantRuntime } from '../ops/helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function repoWith(runtimeSrc: string): string {
  const cwd = copyRuntime(runtimeSrc);
  dirs.push(cwd);
  spawnSync('git', ['init', '-q', cwd]);
  return cwd;
}

const TMP = `${RUN_ID}__${QWEN}.run.run.json.tmp`;
const REPORT = 'runtime/benchmarks/reports/phase4b_minimal_compaction_signal.report.md';

/** The harness's lifecycle block for the two runs of these fixtures (valid run first). */
function table(qwenVerifier: 'PASS' | 'FAIL', regressions: string): string {
  return [
    '',
    '=== RunOps Lifecycle Output ===',
    '',
    '| Model | Instance | Verifier | exit_status | cases | Runtime (s) | schema |',
    '|-------|----------|----------|-------------|-------|-------------|--------|',
    `| tinyllama:latest | ${TINY} | PASS | normal | 60/60 | 0 | 1.4 |`,
    `| qwen2.5-coder:7b | ${QWEN} | ${qwenVerifier} | normal | 60/60 | 0 | 1.4 |`,
    '',
    regressions,
    '',
    `Report: ${REPORT}`,
    '',
  ].join('\n');
}

function makeStale(cwd: string, seconds: number): void {
  const f = path.join(cwd, 'runtime', 'benchmarks', 'autonomous', TMP);
  const t = new Date(Date.now() - seconds * 1000);
  fs.utimesSync(f, t, t);
}

describe('item 10: why a run is not valid, on the terminal', () => {
  it('an active run that times out: the table is unchanged, the reason follows it', () => {
    const cwd = repoWith(variantRuntime('b_active_run'));
    const r = runr(['ops', '--runtime-dir', 'runtime', '--preset', 'phase4b', '--timeout', '1', '--poll', '0.2'], { cwd });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toBe(table('FAIL', '**Invariant regressions:** None'));
    expect(r.stderr).toBe(`not valid: qwen2.5-coder:7b (${QWEN}): incomplete (monitor_timeout)\n`);
  });

  it('a run that fails verification: the failed checks; all-valid runs add nothing', () => {
    const cwd = repoWith(variantRuntime('a_tampered_log'));
    const r = runr(['ops', '--runtime-dir', 'runtime', '--preset', 'phase4b'], { cwd });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('**Invariant regressions:**\n  - ');
    const bad = r.stderr.split('\n').filter((l) => l.startsWith('not valid: '));
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatch(/^not valid: \S+ \(\S+\): verification failed \(execution_log_hash\)$/);

    const ok = runr(['ops', '--runtime-dir', 'runtime', '--preset', 'phase4b'], { cwd: repoWith(path.join(harness, 'runtime-valid')) });
    expect(ok.status).toBe(0);
    expect(ok.stderr).toBe('');
  });

  it('--json keeps its one object (the reason is in invalid_runs)', () => {
    const cwd = repoWith(variantRuntime('b_active_run'));
    const r = runr(['ops', '--runtime-dir', 'runtime', '--preset', 'phase4b', '--timeout', '1', '--poll', '0.2', '--json'], { cwd });
    expect(r.stderr).toBe('');
    expect((JSON.parse(r.stdout) as { invalid_runs: unknown[] }).invalid_runs).toEqual([{ model_id: 'qwen2.5-coder:7b', instance_id: QWEN, status: 'incomplete', reason: 'incomplete (monitor_timeout)' }]);
  });
});

describe('item 11: a temp file nobody writes any more', () => {
  it('is judged abandoned at once: reported as such, not valid, exit non-zero', () => {
    const cwd = repoWith(variantRuntime('b_active_run'));
    makeStale(cwd, 3600);
    // With --min-valid 1 the other run alone makes a report: before, the timeout passed and it exited 0.
    const r = runr(['ops', '--runtime-dir', 'runtime', '--preset', 'phase4b', '--min-valid', '1', '--timeout', '30', '--json'], { cwd });
    expect(r.status, r.stderr).toBe(1);
    const j = JSON.parse(r.stdout) as { settings: { stale_after_s: number }; runs: Array<{ instance_id: string; status: string; monitor: Record<string, unknown> | null }>; invalid_runs: Array<{ reason: string }>; valid_runs: unknown[]; report_generated: boolean; exit_code: number };
    expect(j.settings.stale_after_s).toBe(300);
    const qwen = j.runs.find((x) => x.instance_id === QWEN);
    expect(qwen?.monitor).toMatchObject({ outcome: 'abandoned', status: 'incomplete', monitor_timeout: false, abandoned: { tmp: TMP } });
    expect((qwen?.monitor?.abandoned as { unchanged_s: number }).unchanged_s).toBeGreaterThanOrEqual(3600);
    expect(j.invalid_runs[0]?.reason).toMatch(new RegExp(`^abandoned \\(${TMP.replaceAll('.', '\\.')} unchanged for \\d+ s\\)$`));
    expect(j.valid_runs).toEqual([{ model_id: 'tinyllama:latest', instance_id: TINY }]);
    expect(j.report_generated).toBe(true);
    expect(j.exit_code).toBe(1);
    expect(fs.readFileSync(path.join(cwd, REPORT), 'utf8')).toContain('not verified: abandoned (');

    const human = runr(['ops', '--runtime-dir', 'runtime', '--preset', 'phase4b', '--min-valid', '1', '--timeout', '30'], { cwd });
    expect(human.status).toBe(1);
    expect(human.stdout).toBe(table('FAIL', '**Invariant regressions:** None'));
    expect(human.stderr).toMatch(new RegExp(`not valid: qwen2\\.5-coder:7b \\(${QWEN}\\): abandoned \\(`));

    const mon = runr(['ops', 'monitor', '--runtime-dir', 'runtime', '--preset', 'phase4b', '--timeout', '30'], { cwd });
    expect(mon.status).toBe(1);
    expect(mon.stdout).toContain(`| qwen2.5-coder:7b | ${QWEN} | active | incomplete | abandoned after `);
  });

  it('a temp file written recently is still waited for; --stale-after sets the age', () => {
    const cwd = repoWith(variantRuntime('b_active_run'));
    makeStale(cwd, 120);
    const waited = runr(['ops', '--runtime-dir', 'runtime', '--preset', 'phase4b', '--timeout', '1', '--poll', '0.2', '--json'], { cwd });
    const monitorOf = (out: string) => (JSON.parse(out) as { runs: Array<{ instance_id: string; monitor: { outcome: string } | null }> }).runs.find((x) => x.instance_id === QWEN)?.monitor?.outcome;
    expect(monitorOf(waited.stdout)).toBe('timeout');
    const sooner = runr(['ops', '--runtime-dir', 'runtime', '--preset', 'phase4b', '--stale-after', '60', '--timeout', '30', '--json'], { cwd });
    expect(monitorOf(sooner.stdout)).toBe('abandoned');
    for (const bad of ['0', '-1', 'soon', '']) {
      const r = runr(['ops', '--runtime-dir', 'runtime', '--stale-after', bad], { cwd });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^error: --stale-after: expected a number of seconds > 0/);
    }
  });
});
