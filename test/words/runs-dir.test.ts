/**
 * Issue 15, item 1: the runs directory never changes silently. A repository without a config whose
 * runs live in .runr/runs/ keeps them there when old Orchestration Runner records are copied into
 * orchestration/runs/; runr says so (stderr warning, `doctor` check) and `init` pins the choice.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureDir, makeRepo, removeRepo, runr, runrJson } from '../helpers/cli.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeRepo(d);
});

function startRun(cwd: string, slug: string): { run_id: string; run_dir: string } {
  const r = runrJson<{ run_id: string; run_dir: string }>(['run', 'start', '--workflow', 'visual-essay', '--slug', slug, '--artifact-path', `essays/${slug}`], { cwd });
  expect(r.status, r.stderr).toBe(0);
  return r.json;
}

type Check = { name: string; status: string; detail: string };
const listed = (cwd: string) => runrJson<{ runs: Array<{ run_id: string }> }>(['run', 'list'], { cwd });

describe('item 1: the runs directory never changes silently', () => {
  it('keeps .runr/runs/ when orchestration/runs/ appears, warns, doctor tells, init pins it', () => {
    const cwd = makeRepo();
    dirs.push(cwd);
    const first = startRun(cwd, 'first');
    expect(first.run_dir).toMatch(/^\.runr\/runs\/run_/);
    expect(listed(cwd).stderr).toBe(''); // one candidate: nothing to say

    // Old Orchestration Runner records copied in, to index them.
    fs.cpSync(path.join(fixtureDir, 'runs'), path.join(cwd, 'orchestration', 'runs'), { recursive: true });

    const list = listed(cwd);
    expect(list.status, list.stderr).toBe(0);
    expect(list.json.runs.map((r) => r.run_id)).toEqual([first.run_id]);
    expect(list.stderr).toMatch(/^warning: two runs directories: \.runr\/runs\/ \(1 run folder, runr runs\) and orchestration\/runs\/ \(2 run folders, none written by runr\); using \.runr\/runs\/ \(it holds runr runs\)\. Pin it: `runr init`/);
    expect(list.stderr.trim().split('\n')).toHaveLength(1);

    // New runs go where the old ones are; status and find see them there too.
    const second = startRun(cwd, 'second');
    expect(second.run_dir).toMatch(/^\.runr\/runs\/run_/);
    expect(fs.existsSync(path.join(cwd, second.run_dir, 'record', 'RUN.json'))).toBe(true);
    expect(runr(['status', first.run_id], { cwd }).status).toBe(0);
    const found = runr(['find', "kind = 'workflow'", '--format', 'jsonl'], { cwd });
    expect(found.status, found.stderr).toBe(0);
    const foundIds = found.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { run_id: string }).run_id);
    expect(foundIds.sort()).toEqual([first.run_id, second.run_id].sort());

    const doc = runrJson<{ checks: Check[] }>(['doctor'], { cwd });
    const check = doc.json.checks.find((c) => c.name === 'runs directory');
    expect(check).toMatchObject({ status: 'warn' });
    expect(check?.detail).toContain('using .runr/runs/');
    expect(doc.stderr).toBe('');

    const init = runr(['init'], { cwd });
    expect(init.status, init.stderr).toBe(0);
    const config = JSON.parse(fs.readFileSync(path.join(cwd, '.runr', 'runr.config.json'), 'utf8')) as { runs_dir?: string };
    expect(config.runs_dir).toBe('.runr/runs');
    const pinned = listed(cwd);
    expect(pinned.stderr).toBe('');
    expect(pinned.json.runs.map((r) => r.run_id).sort()).toEqual([first.run_id, second.run_id].sort());
    expect(runrJson<{ checks: Check[] }>(['doctor'], { cwd }).json.checks.find((c) => c.name === 'runs directory')).toMatchObject({ status: 'ok', detail: '.runr/runs (runs_dir in the config)' });
  });

  it('without runr runs in .runr/runs/, orchestration/runs/ stays the runs directory (no warning)', () => {
    const cwd = makeRepo();
    dirs.push(cwd);
    fs.cpSync(path.join(fixtureDir, 'runs'), path.join(cwd, 'orchestration', 'runs'), { recursive: true });
    const started = startRun(cwd, 'next');
    expect(started.run_dir).toMatch(/^orchestration\/runs\/run_/);
    const list = listed(cwd);
    expect(list.json.runs).toHaveLength(3);
    expect(list.stderr).toBe('');
    const check = runrJson<{ checks: Check[] }>(['doctor'], { cwd }).json.checks.find((c) => c.name === 'runs directory');
    expect(check).toMatchObject({ status: 'ok', detail: 'orchestration/runs (no config; it holds runr runs)' });
  });

  it('--runs-dir decides outright and silences the warning', () => {
    const cwd = makeRepo();
    dirs.push(cwd);
    const first = startRun(cwd, 'first');
    fs.cpSync(path.join(fixtureDir, 'runs'), path.join(cwd, 'orchestration', 'runs'), { recursive: true });
    const legacy = runrJson<{ runs: Array<{ run_id: string }> }>(['run', 'list', '--runs-dir', 'orchestration/runs'], { cwd });
    expect(legacy.stderr).toBe('');
    expect(legacy.json.runs).toHaveLength(2);
    expect(legacy.json.runs.map((r) => r.run_id)).not.toContain(first.run_id);
  });
});
