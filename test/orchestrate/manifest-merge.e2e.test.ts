/** Records merge without conflicts: `git merge` of 8 branches that each added runs, with the driver `runr init` installs. */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import type { Json } from './helpers.js';
import { git, jsonOf, makeOrchRepo, removeRepo, runrIn, writeFile } from './helpers.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) removeRepo(d);
});

describe('runs_manifest.json merge driver', () => {
  it('runr init installs it, doctor checks it, and 8 branches that each added runs merge with 0 conflicts', () => {
    const dir = makeOrchRepo({ tracks: { a: { a1: { write: { 'src/a.txt': 'a\n' } } } } });
    dirs.push(dir);
    const before = jsonOf(runrIn(dir, ['doctor', '--json']));
    expect((before.checks as Json[]).find((c) => c.name === 'manifest merge driver')?.status).toBe('warn');
    const init = runrIn(dir, ['init', '--json']);
    expect(init.status, init.stderr).toBe(0);
    expect(fs.readFileSync(path.join(dir, '.gitattributes'), 'utf8')).toContain('/.runr/runs/runs_manifest.json merge=runr-manifest');
    expect(git(dir, ['config', '--get', 'merge.runr-manifest.driver'])).toMatch(/manifest merge %O %A %B/);
    const after = jsonOf(runrIn(dir, ['doctor', '--json']));
    expect((after.checks as Json[]).find((c) => c.name === 'manifest merge driver')?.status).toBe('ok');
    writeFile(dir, '.runr/contracts/A.contract.json', { gate: 'A', name: 'A' });
    writeFile(dir, '.runr/workflows/w.json', { workflow: 'w', gates: [{ gate: 'A', name: 'A' }] });
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'runr init']);
    const base = git(dir, ['branch', '--show-current']).trim();
    const ids: string[] = [];
    for (let i = 1; i <= 8; i++) {
      git(dir, ['switch', '-q', '-c', `b${i}`, base]);
      for (let k = 0; k < 2; k++) {
        const r = runrIn(dir, ['run', 'start', '--workflow', 'w', '--slug', `b${i}-${k}`, '--artifact-path', 'x', '--json']);
        expect(r.status, r.stderr).toBe(0);
        ids.push(jsonOf(r).run_id as string);
      }
      git(dir, ['add', '-A', '.runr/runs']);
      git(dir, ['commit', '-q', '-m', `runs of b${i}`]);
    }
    git(dir, ['switch', '-q', base]);
    let conflicts = 0;
    for (let i = 1; i <= 8; i++) {
      const m = spawnSync('git', ['merge', '--no-edit', '-q', `b${i}`], { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
      if (m.status !== 0) {
        conflicts++;
        git(dir, ['merge', '--abort']);
      }
    }
    expect(conflicts).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, '.runr', 'runs', 'runs_manifest.json'), 'utf8')) as Json;
    const listed = new Set((manifest.runs as Json[]).map((e) => e.run_id as string));
    for (const id of ids) expect(listed).toContain(id);
    expect(manifest.total_runs).toBe(manifest.runs.length);
    expect(ids).toHaveLength(16);
    // The merged file is the canonical layout (one entry per line), so runr reads it as it wrote it.
    const show = jsonOf(runrIn(dir, ['manifest', 'show', '--json']));
    expect(show.total_runs).toBe(manifest.total_runs);
  });
});
