/** The manual executor on a terminal waits for Enter (driven through a real pseudo-terminal). */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, REPO, esyRepo, json, put, runr } from './workflow-cli.js';

describe('manual gate on a TTY', () => {
  it('waits for Enter, then validates', () => {
    const repo = esyRepo();
    put(repo, '.runr/contracts/M.contract.json', JSON.stringify({ gate: 'M', name: 'Manual', required_outputs: { all_of: [{ path: 'done.md' }] } }));
    put(repo, '.runr/workflows/h.json', JSON.stringify({ workflow: 'h', gates: [{ gate: 'M', name: 'Manual' }] }));
    const driver = path.join(REPO, 'test/fixtures/cli/pty-enter.py');
    const r = spawnSync('python3', [driver, '1.5', path.join(repo, 'done.md'), process.execPath, BIN, 'run', 'h', '--slug', 't1', '--artifact-path', 'x'], { cwd: repo, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.stdout).toContain('press Enter to validate');
    expect(r.status, r.stdout).toBe(0);
    const rec = json<{ status: string; gates: Array<{ attempts: Array<{ status: string }> }> }>(runr(repo, ['run', 'show', '--run', 'latest', '--json']));
    expect(rec.status).toBe('PASSED');
    expect(rec.gates[0]!.attempts).toHaveLength(1);
  });
});
