import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRunTracking } from '../../src/manifest/tracking.js';
import { tmpDir } from './helpers.js';

function git(cwd: string, ...args: string[]): void {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
}

function write(file: string, bytes: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, 'x'.repeat(bytes));
}

describe('selective tracking check', () => {
  it('reports tracked and ignored bytes per run, a record over budget, and large committable files', () => {
    const root = tmpDir();
    git(root, 'init', '-q');
    fs.writeFileSync(path.join(root, '.gitignore'), '.runr/runs/*/logs/\n');
    const runs = path.join(root, '.runr', 'runs');
    write(path.join(runs, 'run_a', 'record', 'RUN.json'), 3000);
    write(path.join(runs, 'run_a', 'logs', 'worker.log'), 5000);
    write(path.join(runs, 'run_b', 'record', 'RUN.json'), 25 * 1024);
    write(path.join(runs, 'run_b', 'big.bin'), 2 * 1024 * 1024);
    write(path.join(runs, 'run_b', 'weird name\nwith newline.txt'), 10);
    write(path.join(runs, 'runs_manifest.json'), 100);
    git(root, 'add', '.runr/runs/run_a');
    const r = checkRunTracking(runs);
    expect(r.git).toBe(true);
    expect(r.manifest).toBe('untracked');
    const a = r.runs.find((x) => x.run_id === 'run_a');
    expect(a).toEqual({ run_id: 'run_a', path: 'run_a', tracked_bytes: 3000, ignored_bytes: 5000, warnings: [] });
    const b = r.runs.find((x) => x.run_id === 'run_b');
    expect(b?.tracked_bytes).toBe(25 * 1024 + 2 * 1024 * 1024 + 10);
    expect(b?.ignored_bytes).toBe(0);
    expect(b?.warnings).toEqual(['record/ is 25.0 KB (budget 20.0 KB): large outputs belong in logs/', 'big.bin (2.0 MB) would be committed: ignore it or move it under logs/']);
  });

  it('warns when logs/ is not ignored and when the manifest is ignored', () => {
    const root = tmpDir();
    git(root, 'init', '-q');
    fs.writeFileSync(path.join(root, '.gitignore'), 'runs/runs_manifest.json\n');
    const runs = path.join(root, 'runs');
    write(path.join(runs, 'run_a', 'record', 'RUN.json'), 100);
    write(path.join(runs, 'run_a', 'logs', 'out.txt'), 2048);
    write(path.join(runs, 'runs_manifest.json'), 100);
    const r = checkRunTracking(runs);
    expect(r.runs[0]?.warnings).toEqual(['logs/ is not ignored (1 files, 2.0 KB would be committed): add the ignore rules (runr init)']);
    expect(r.manifest).toBe('ignored');
    expect(r.warnings).toEqual(['runs/runs_manifest.json is ignored by git; the manifest should be tracked']);
  });

  it('groups dev-benchmark runs by framework/run', () => {
    const root = tmpDir();
    git(root, 'init', '-q');
    fs.writeFileSync(path.join(root, '.gitignore'), 'runs/*/*/workspace/\n');
    const runs = path.join(root, 'runs');
    write(path.join(runs, 'chatdev', 'abc', 'metrics.json'), 10);
    write(path.join(runs, 'chatdev', 'abc', 'workspace', 'x.py'), 50);
    const r = checkRunTracking(runs);
    expect(r.runs).toEqual([{ run_id: 'abc', path: 'chatdev/abc', tracked_bytes: 10, ignored_bytes: 50, warnings: [] }]);
  });

  it('says so outside a git repository', () => {
    const runs = tmpDir();
    const r = checkRunTracking(runs);
    expect(r).toMatchObject({ git: false, runs: [], warnings: ['not inside a git repository: tracking not checked'] });
  });
});
