/**
 * A task worktree leaves the committed run records out of its checkout (issue 12, Deliver 6: at
 * 10k runs `git worktree add` wrote ~50,000 record files). The worker still sees every other file;
 * the checkpoint commits and a later merge keep every record; no git config file is changed; a
 * resumed run whose worktree is gone gets the same sparse worktree back.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { json, makeTaskRepo, removeRepo, runrIn, sh, writeFile } from './helpers.js';
import type { Json } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeRepo(d);
});

/** A task repository whose store holds one committed run, as `runr init` sets records up (tracked). */
function repoWithCommittedRecords(script?: object): { dir: string; recordFiles: string[] } {
  const dir = makeTaskRepo({
    files: { 'docs/notes.md': 'notes\n', '.runr/contracts/keep.json': '{}\n' },
    ...(script !== undefined ? { script } : {}),
  });
  dirs.push(dir);
  const first = json<Json>(runrIn(dir, ['run', '--task', '.runr/tasks/task.md', '--json', '--foreground', '--worktree']));
  expect(first.outcome ?? first.status).toBeDefined();
  sh(dir, ['add', '-A']);
  sh(dir, ['commit', '-q', '-m', 'records']);
  const recordFiles = sh(dir, ['ls-files', '.runr/runs']).split('\n').filter((f) => f !== '');
  expect(recordFiles.length).toBeGreaterThan(2);
  return { dir, recordFiles };
}

describe('task worktree without the run records', () => {
  it('checks out everything but the runs directory; commits and the merge keep the records', () => {
    const { dir, recordFiles } = repoWithCommittedRecords();
    const configBefore = fs.readFileSync(path.join(dir, '.git', 'config'), 'utf8');
    const r = runrIn(dir, ['run', '--task', '.runr/tasks/task.md', '--worktree', '--json', '--foreground']);
    expect(r.status).toBe(0);
    const out = json<Json>(r);
    const wt = path.join(dir, '.runr', 'worktrees', out.run_id);
    // Every non-record file is there; no record is.
    for (const f of ['README.md', 'docs/notes.md', '.runr/runr.config.json', '.runr/script.json', '.runr/tasks/task.md', '.runr/contracts/keep.json', 'src/greet.ts', 'src/farewell.ts']) {
      expect(fs.existsSync(path.join(wt, f)), f).toBe(true);
    }
    expect(fs.existsSync(path.join(wt, '.runr', 'runs'))).toBe(false);
    // git sees a clean worktree (skip-worktree entries are not deletions).
    expect(sh(wt, ['status', '--porcelain'])).toBe('');
    const branch = sh(wt, ['rev-parse', '--abbrev-ref', 'HEAD']).trim();
    const tracked = sh(dir, ['ls-tree', '-r', '--name-only', branch]).split('\n');
    for (const f of recordFiles) expect(tracked, f).toContain(f);
    // A commit made in the worktree by hand (`git add -A`, as a worker might) deletes nothing either.
    writeFile(wt, 'src/extra.ts', 'export const x = 1;\n');
    sh(wt, ['add', '-A']);
    sh(wt, ['commit', '-q', '-m', 'extra']);
    expect(sh(dir, ['diff', '--name-status', 'HEAD', branch]).split('\n').filter((l) => l.startsWith('D'))).toEqual([]);
    sh(dir, ['stash', '-u', '-q']);
    sh(dir, ['merge', '-q', '--no-edit', branch]);
    for (const f of recordFiles) expect(fs.existsSync(path.join(dir, f)), f).toBe(true);
    // No config file was written: not the repository's, not the worktree's.
    expect(fs.readFileSync(path.join(dir, '.git', 'config'), 'utf8')).toBe(configBefore);
    expect(fs.existsSync(path.join(dir, '.git', 'worktrees', out.run_id, 'config.worktree'))).toBe(false);
  });

  it('a resumed run whose worktree was deleted gets it back without the records', () => {
    const broken = {
      plan: { milestones: [{ goal: 'Add greet', files_expected: ['src/greet.ts'], risk_level: 'low' }] },
      milestones: { m1: { implement: [{ write: { 'src/greet.ts': 'broken\n' } }] } },
    };
    const { dir, recordFiles } = repoWithCommittedRecords();
    // A run that stops on verification, then its worktree is removed by hand.
    writeFile(dir, '.runr/script.json', broken);
    writeFile(dir, '.runr/runr.config.json', { ...JSON.parse(fs.readFileSync(path.join(dir, '.runr', 'runr.config.json'), 'utf8')), verification: { tier0: ['grep -q export src/greet.ts'] } });
    sh(dir, ['add', '-A']);
    sh(dir, ['commit', '-q', '-m', 'break']);
    const r = runrIn(dir, ['run', '--task', '.runr/tasks/task.md', '--worktree', '--json', '--foreground']);
    const id = json<Json>(r).run_id as string;
    const wt = path.join(dir, '.runr', 'worktrees', id);
    fs.rmSync(wt, { recursive: true, force: true });
    runrIn(dir, ['resume', id, '--json', '--foreground']);
    expect(fs.existsSync(path.join(wt, '.git'))).toBe(true);
    expect(fs.existsSync(path.join(wt, 'README.md'))).toBe(true);
    expect(fs.existsSync(path.join(wt, '.runr', 'runs'))).toBe(false);
    // The resumed (failing) milestone left its work uncommitted; no record reads as deleted.
    expect(sh(wt, ['status', '--porcelain']).split('\n').filter((l) => /^.?D/.test(l))).toEqual([]);
    const tracked = sh(wt, ['ls-files']).split('\n');
    for (const f of recordFiles) expect(tracked, f).toContain(f);
  });
});
