/**
 * `runr demo --studies` (issue 11, Deliver 9): a study, a baseline batch over 3 seeds, an edit of one
 * spec file rerunning only the downstream stages with --why, a report with intervals, promotion, a
 * one-axis sweep compared with the baseline as paired differences. The demo runs the built CLI
 * with the stand-in extropy found next to the launcher (as in an installed package).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { repoRoot, runr } from '../helpers/cli.js';

vi.setConfig({ testTimeout: 300_000 });

const dir = path.join(fs.realpathSync(os.tmpdir()), `runr-studies-demo-test-${process.pid}`);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));


describe('runr demo --studies', () => {
  it('shows the whole study workflow and ends ok', () => {
    // No stand-in on PATH: the demo must find it in the package (examples/extropy ships in "files").
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('examples');
    const text = runr(['demo', '--studies', '--dir', dir], { cwd: repoRoot, timeoutMs: 280_000 });
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/\$ runr study init austin-congestion-tax/);
    expect(text.stdout).toMatch(/\$ runr batch new austin-congestion-tax --intent baseline .*--seeds 42,43,44/);
    expect(text.stdout).toMatch(/scenario\s+PASS\s+dep changed: specs\/scenario\//);
    expect(text.stdout).toMatch(/sample\s+skip\s+nothing to do/);
    // After the edit of the scenario spec, every baseline variant reran only the 4 downstream stages.
    expect(text.stdout.match(/vr-base-default-s4[234]\s+success \(ran 4, skipped 3\)/g)).toHaveLength(3);
    expect(text.stdout).toMatch(/\| threshold=5 \| baseline \| 3 \| -?\d/);
    expect(text.stdout).toMatch(/^nothing to do$/m);
    expect(text.stdout).toMatch(/95% CI \(t\)/);
    expect(text.stdout).toMatch(/Paired by seed/);
    expect(text.stdout).toMatch(/Promoted b\d{8}-\d{4}-baseline-v01/);
    expect(text.stdout).toMatch(/Studies demo done\./);
    const study = path.join(dir, 'runs', 'austin-congestion-tax');
    const latest = fs.readFileSync(path.join(study, 'registry', 'latest.txt'), 'utf8').trim();
    expect(latest).toMatch(/^b\d{8}-\d{4}-baseline-v01$/);
    // 3 baseline variants (twice: the first run and the rerun after the edit) + 6 sweep variants.
    const rows = fs.readFileSync(path.join(study, 'registry', 'runs.csv'), 'utf8').trim().split('\n').slice(1);
    expect(rows).toHaveLength(12);
    expect(rows.every((r) => r.includes(',success,'))).toBe(true);
  });
});
