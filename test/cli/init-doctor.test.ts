import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { json, put, runr } from './workflow-cli.js';

function gitRepo(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runr-init-'));
  spawnSync('git', ['init', '-q'], { cwd: dir });
  return dir;
}

describe('runr init', () => {
  it('creates .runr/ and a managed .gitignore block, idempotently, keeping user rules', () => {
    const repo = gitRepo();
    put(repo, '.gitignore', 'node_modules/\n');
    const r = runr(repo, ['init', '--json']);
    expect(r.status).toBe(0);
    expect(json<{ files: Array<{ path: string; action: string }> }>(r).files).toEqual([
      { path: '.runr/runr.config.json', action: 'create' },
      { path: '.gitignore', action: 'update' },
      { path: '.gitattributes', action: 'create' },
    ]);
    const gi = fs.readFileSync(path.join(repo, '.gitignore'), 'utf8');
    expect(gi.startsWith('node_modules/\n')).toBe(true);
    expect(gi).toContain('.runr/runs/*/logs/');
    const again = json<{ files: Array<{ action: string }> }>(runr(repo, ['init', '--json']));
    expect(again.files.map((f) => f.action)).toEqual(['keep', 'keep', 'keep']);
    expect(fs.readFileSync(path.join(repo, '.gitignore'), 'utf8')).toBe(gi);
    for (const d of ['.runr/contracts', '.runr/workflows', '.runr/runs']) expect(fs.existsSync(path.join(repo, d))).toBe(true);
  });

  it('--print writes nothing', () => {
    const repo = gitRepo();
    const r = runr(repo, ['init', '--print']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('.runr/runs/*/logs/');
    expect(fs.existsSync(path.join(repo, '.runr'))).toBe(false);
    expect(fs.existsSync(path.join(repo, '.gitignore'))).toBe(false);
  });
});

describe('runr doctor', () => {
  it('passes on an initialised repo and reports bytes per run', () => {
    const repo = gitRepo();
    runr(repo, ['init']);
    put(repo, '.runr/contracts/A.contract.json', JSON.stringify({ gate: 'A', name: 'A' }));
    put(repo, '.runr/workflows/w.json', JSON.stringify({ workflow: 'w', gates: [{ gate: 'A', name: 'A' }] }));
    runr(repo, ['run', 'start', '--workflow', 'w', '--slug', 's', '--artifact-path', 'x']);
    const r = runr(repo, ['doctor', '--json']);
    const out = json<{ ok: boolean; checks: Array<{ name: string; status: string }>; runs: Array<{ record_bytes: number }> }>(r);
    expect(out.checks.find((c) => c.name === 'ignore rules')?.status).toBe('ok');
    expect(out.checks.find((c) => c.name === 'workflow .runr/workflows/w.json')?.status).toBe('ok');
    expect(out.runs).toHaveLength(1);
    expect(out.runs[0]!.record_bytes).toBeGreaterThan(100);
  });

  it('fails when the ignore rules do not hold or a contract is broken, and finds stale locks', () => {
    const repo = gitRepo();
    put(repo, '.runr/contracts/B.contract.json', '{"gate": "B", "validations": [{"type": "min_sources", "target": "../x"}]}');
    put(repo, '.runr/workflows/w.json', JSON.stringify({ workflow: 'w', gates: [{ gate: 'A', name: 'A' }] }));
    put(repo, '.runr/contracts/A.contract.json', JSON.stringify({ gate: 'A', name: 'A' }));
    const id = json<{ run_id: string }>(runr(repo, ['run', 'start', '--workflow', 'w', '--slug', 's', '--artifact-path', 'x', '--json'])).run_id;
    put(repo, `.runr/runs/${id}/logs/writer.lock`, JSON.stringify({ schema_version: 1, pid: 4_000_000, host: os.hostname(), token: 'x', acquired_at: 'x' }));
    const r = runr(repo, ['doctor', '--json']);
    expect(r.status).toBe(1);
    const out = json<{ ok: boolean; checks: Array<{ name: string; status: string; detail: string }> }>(r);
    expect(out.ok).toBe(false);
    expect(out.checks.find((c) => c.name === 'ignore rules')?.status).toBe('fail');
    expect(out.checks.find((c) => c.name.includes('B.contract.json'))).toMatchObject({ status: 'fail' });
    expect(out.checks.find((c) => c.name.includes('B.contract.json'))!.detail).toContain('validations[0].target');
    expect(out.checks.find((c) => c.name === 'locks')).toMatchObject({ status: 'warn' });
  });
});
