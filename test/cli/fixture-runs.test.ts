/** `run list` / `run show` on records written by the original Orchestration Runner. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ESY, esyRepo, json, runr } from './workflow-cli.js';

function repoWithFixtureRuns(): string {
  const repo = esyRepo();
  fs.cpSync(path.join(ESY, 'runs'), path.join(repo, 'orchestration/runs'), { recursive: true });
  fs.mkdirSync(path.join(repo, '.runr'), { recursive: true });
  fs.writeFileSync(path.join(repo, '.runr/runr.config.json'), JSON.stringify({ runs_dir: 'orchestration/runs' }));
  return repo;
}

describe('records of the original tool', () => {
  it('run list shows both, newest first, with their statuses', () => {
    const repo = repoWithFixtureRuns();
    const r = runr(repo, ['run', 'list', '--json']);
    expect(r.status).toBe(0);
    const runs = json<{ runs: Array<{ run_id: string; status: string }> }>(r).runs;
    expect(runs.map((x) => [x.run_id, x.status])).toEqual([
      ['run_20260121T024259697Z_test-partial_qhl9a6', 'RUNNING'],
      ['run_20260119T222303959Z_the-word-robot_uc2s1f', 'FAILED'],
    ]);
    const human = runr(repo, ['run', 'list']);
    expect(human.stdout).toContain('the-word-robot');
  });

  it('run show prints the record; a prefix and --runs-dir work', () => {
    const repo = repoWithFixtureRuns();
    const r = runr(repo, ['run', 'show', '--run', 'run_20260119T222303959Z', '--json']);
    expect(r.status).toBe(0);
    const rec = json<{ gates: Array<{ gate: string; status: string }>; invocations: unknown[] }>(r);
    expect(rec.gates.map((g) => g.status)).toEqual(['FAIL', 'PASS', 'PASS']);
    expect(rec.invocations).toHaveLength(1);
    fs.rmSync(path.join(repo, '.runr/runr.config.json'));
    const viaFlag = runr(repo, ['run', 'show', '--run', 'latest', '--runs-dir', 'orchestration/runs']);
    expect(viaFlag.status).toBe(0);
    expect(viaFlag.stdout).toContain('run_20260121T024259697Z_test-partial_qhl9a6');
    expect(viaFlag.stdout).toContain('Missing: {artifact_path}/research/SYNTHESIS.md');
  });

  it('continuing an original run imports it into a journal without absolute paths', () => {
    const repo = repoWithFixtureRuns();
    const id = 'run_20260121T024259697Z_test-partial_qhl9a6';
    const r = runr(repo, ['gate', 'start', '--run', id, '--gate', 'G3', '--agent', 'visual-essay-invocation-agent', '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(json(r).attempt).toBe(1);
    const text = fs.readFileSync(path.join(repo, 'orchestration/runs', id, 'record/RUN.json'), 'utf8');
    expect(text).not.toContain('/Users/');
    expect(runr(repo, ['audit', id, '--json']).stdout).toContain('"chain_ok": true');
  });
});

describe('an existing orchestration/runs directory', () => {
  it('stays the runs directory without a config, and runr init keeps it', () => {
    const repo = esyRepo();
    fs.cpSync(path.join(ESY, 'runs'), path.join(repo, 'orchestration/runs'), { recursive: true });
    const started = json<{ run_dir: string }>(runr(repo, ['run', 'start', '--workflow', 'visual-essay', '--slug', 'next', '--artifact-path', 'a', '--json']));
    expect(started.run_dir).toMatch(/^orchestration\/runs\/run_/);
    expect(json<{ runs: unknown[] }>(runr(repo, ['run', 'list', '--json'])).runs).toHaveLength(3);
    expect(runr(repo, ['init']).status).toBe(0);
    const config = JSON.parse(fs.readFileSync(path.join(repo, '.runr/runr.config.json'), 'utf8'));
    expect(config.runs_dir).toBe('orchestration/runs');
    expect(fs.readFileSync(path.join(repo, '.gitignore'), 'utf8')).toContain('orchestration/runs/*/logs/');
    expect(json<{ runs: unknown[] }>(runr(repo, ['run', 'list', '--json'])).runs).toHaveLength(3);
  });
});
