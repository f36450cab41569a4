/** Git helpers against real git: NUL-separated status with renames and awkward names, commits with trailers. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkpointMessage, checkpointsOnBranch, commitCheckpoint, headCheckpoint, parseTrailers } from '../../src/git/commit.js';
import { diffFiles, fingerprintFiles, fingerprintMain, ownPathsSmall, untrackedRoots } from '../../src/git/repo-fingerprint.js';
import { headFromFiles, repoInfo, worktreeGitDir } from '../../src/git/repo.js';
import { changedPaths, parseStatusZ, status } from '../../src/git/status.js';
import { addWorktreeLeavingOut, sparsePatterns } from '../../src/git/worktree.js';
import { makeRepo } from '../helpers/cli.js';
import { removeRepo, sh, writeFile } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeRepo(d);
});
function repo(): string {
  const d = makeRepo({ fixtures: false });
  dirs.push(d);
  writeFile(d, 'a.txt', 'a\n');
  writeFile(d, 'old name.txt', 'rename me\n');
  sh(d, ['add', '-A']);
  sh(d, ['commit', '-q', '-m', 'init']);
  return d;
}

describe('status -z', () => {
  it('parses renames (both paths), untracked files one by one, and names with spaces, quotes and newlines', async () => {
    const d = repo();
    sh(d, ['mv', 'old name.txt', 'new name.txt']);
    writeFile(d, 'dir/sub/x.ts', 'x\n');
    writeFile(d, 'we"ird\nname.txt', 'y\n');
    fs.rmSync(path.join(d, 'a.txt'));
    const entries = await status(d);
    expect(entries.find((e) => e.path === 'new name.txt')).toEqual({ xy: 'R ', path: 'new name.txt', orig: 'old name.txt' });
    expect(changedPaths(entries)).toEqual(['a.txt', 'dir/sub/x.ts', 'new name.txt', 'old name.txt', 'we"ird\nname.txt']);
  });

  it('excludes directories (runr’s own paths) by pathspec', async () => {
    const d = repo();
    writeFile(d, '.runr/runs/run_x/record/RUN.json', '{}');
    writeFile(d, 'src/a.ts', 'a');
    expect(changedPaths(await status(d, ['.runr/runs']))).toEqual(['src/a.ts']);
  });

  it('parseStatusZ handles copies and an empty listing', () => {
    expect(parseStatusZ(Buffer.from(''))).toEqual([]);
    expect(parseStatusZ(Buffer.from('C  b.txt\0a.txt\0?? c\0'))).toEqual([
      { xy: 'C ', path: 'b.txt', orig: 'a.txt' },
      { xy: '??', path: 'c', orig: null },
    ]);
  });
});

describe('commits and repository facts', () => {
  it('commits exactly the given paths with trailers; HEAD is read from the files', async () => {
    const d = repo();
    writeFile(d, 'keep.txt', 'k\n');
    writeFile(d, 'leave-out.txt', 'l\n');
    writeFile(d, '-rf', 'option-looking name\n');
    const info = await repoInfo(d);
    const sha = await commitCheckpoint(d, { paths: ['keep.txt', '-rf'], message: checkpointMessage('runr(m1): do it', 'Task: x', { run: 'run_1', milestone: 'm1' }), gitDir: info.gitDir, commonDir: info.commonDir });
    expect(sha).toBe(sh(d, ['rev-parse', 'HEAD']).trim());
    expect(sh(d, ['show', '--name-only', '--format=', 'HEAD']).trim().split('\n').sort()).toEqual(['-rf', 'keep.txt']);
    expect(fs.existsSync(path.join(d, 'leave-out.txt'))).toBe(true);
    const head = await headCheckpoint(d);
    expect(head).toEqual({ sha, trailers: { run: 'run_1', milestone: 'm1' } });
    expect(await checkpointsOnBranch(d, 'HEAD', 'run_1')).toEqual([{ sha, milestone: 'm1' }]);
    expect(headFromFiles(info.gitDir, info.commonDir)).toBe(sha);
    sh(d, ['pack-refs', '--all']);
    expect(headFromFiles(info.gitDir, info.commonDir)).toBe(sha);
  });

  it('supplies an identity only when the repository has none', async () => {
    const d = repo();
    writeFile(d, 'x.txt', 'x\n');
    const home = fs.mkdtempSync(path.join(path.dirname(d), 'home-'));
    dirs.push(home);
    const saved = { ...process.env };
    // No global config, and git may not guess an identity from the host (user.useConfigOnly).
    Object.assign(process.env, { HOME: home, XDG_CONFIG_HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: path.join(home, 'none'), GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'user.useConfigOnly', GIT_CONFIG_VALUE_0: 'true' });
    for (const k of ['GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL', 'EMAIL']) delete process.env[k];
    try {
      await commitCheckpoint(d, { paths: ['x.txt'], message: 'm\n' });
    } finally {
      process.env = saved;
    }
    expect(sh(d, ['log', '-1', '--format=%an <%ae>']).trim()).toBe('runr <runr@localhost>');
  });

  it('trailers are parsed only from their own lines', () => {
    expect(parseTrailers('subject\n\nsays Runr-Run: nope\n\nRunr-Run: run_a\nRunr-Milestone: m2\n')).toEqual({ run: 'run_a', milestone: 'm2' });
    expect(checkpointMessage('  a\n  very   long ' + 'x'.repeat(100), '', { run: 'r', milestone: 'm1' }).split('\n')[0]!.length).toBeLessThanOrEqual(72);
  });

  it('worktrees: the git dir comes from the .git file; repoInfo names the branch', async () => {
    const d = repo();
    const wt = path.join(d, '.runr', 'worktrees', 'w1');
    await addWorktreeLeavingOut(d, wt, { newBranch: 'runr/w1', base: 'HEAD' }, []);
    const info = await repoInfo(wt);
    expect(info.branch).toBe('runr/w1');
    expect(info.commonDir).toBe(path.join(d, '.git'));
    expect(worktreeGitDir(wt)).toBe(info.gitDir);
  });

  it('sparse patterns keep everything but the left-out directories, with special characters escaped', () => {
    expect(sparsePatterns(['.runr/runs'])).toBe('/*\n!/.runr/runs/\n');
    expect(sparsePatterns(['/a b/[x]*?!#/'])).toBe('/*\n!/a\\ b/\\[x\\]\\*\\?\\!\\#/\n');
  });

  it('the main checkout fingerprint lists what one `git status -- . :(exclude)own` lists, without walking the own paths', async () => {
    const d = repo();
    writeFile(d, '.runr/tasks/t.md', 't\n');
    writeFile(d, '.runr/runs/r1/record/RUN.json', '{}\n');
    writeFile(d, 'src/keep.ts', 'k\n');
    sh(d, ['add', '-A']);
    sh(d, ['commit', '-q', '-m', 'more']);
    // Tracked: modified at the root, deleted beside an own path, staged; untracked: at the root,
    // deep, beside an own path, with a space; inside own paths (must not be listed).
    writeFile(d, 'a.txt', 'changed\n');
    fs.rmSync(path.join(d, '.runr', 'tasks', 't.md'));
    writeFile(d, 'src/keep.ts', 'staged\n');
    sh(d, ['add', 'src/keep.ts']);
    writeFile(d, 'new.txt', 'n\n');
    writeFile(d, 'src/deep/er/x.ts', 'x\n');
    writeFile(d, '.runr/notes.md', 'n\n');
    writeFile(d, 'with space.txt', 's\n');
    writeFile(d, '.runr/runs/r2/record/RUN.json', '{}\n');
    writeFile(d, '.runr/runs/r1/record/RUN.json', '{"changed":1}\n');
    writeFile(d, '.runr/worktrees/w/file', 'w\n');
    const own = ['.runr/runs', '.runr/worktrees'];
    expect(untrackedRoots(d, own)).toEqual(['.runr/notes.md', '.runr/tasks', 'a.txt', 'new.txt', 'old name.txt', 'src', 'with space.txt']);
    const got = await fingerprintMain(d, own);
    const oneCall = sh(d, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames', '--', '.', ...own.map((o) => `:(exclude,top)${o}`)])
      .split('\0')
      .filter((e) => e !== '')
      .map((e) => e.slice(3))
      .sort();
    expect([...got.keys()].sort()).toEqual(oneCall);
    expect(oneCall).toEqual(['.runr/notes.md', '.runr/tasks/t.md', 'a.txt', 'new.txt', 'src/deep/er/x.ts', 'src/keep.ts', 'with space.txt']);
    expect(got.get('.runr/tasks/t.md')).toBe(' D:absent');
    // One git process (used when the own paths are small): the same fingerprint, hashes included.
    expect([...(await fingerprintMain(d, own, true)).entries()].sort()).toEqual([...got.entries()].sort());
  });

  it('own paths are small up to the limit of entries, counted over all of them; absent ones count nothing', () => {
    const d = repo();
    const own = ['.runr/runs', '.runr/worktrees', 'missing'];
    expect(ownPathsSmall(d, own, 3)).toBe(true);
    writeFile(d, '.runr/runs/r1/record/RUN.json', '{}\n');
    writeFile(d, '.runr/runs/r2/record/RUN.json', '{}\n');
    writeFile(d, '.runr/worktrees/w1/file', 'w\n');
    expect(ownPathsSmall(d, own, 3)).toBe(true);
    writeFile(d, '.runr/worktrees/w2/file', 'w\n');
    expect(ownPathsSmall(d, own, 3)).toBe(false);
  });

  it('the .git fingerprint sees hook and config edits, not the working tree', () => {
    const d = repo();
    const git = path.join(d, '.git');
    const scope = { commonDir: git, gitDir: git, workDir: d, hooksDir: path.join(git, 'hooks'), repoRoot: d };
    const before = fingerprintFiles(scope);
    writeFile(d, 'src/x.ts', 'x');
    expect(diffFiles(before, fingerprintFiles(scope))).toEqual([]);
    writeFile(d, '.git/hooks/pre-push', '#!/bin/sh\n');
    fs.appendFileSync(path.join(d, '.git', 'config'), '[core]\n\thooksPath = /tmp\n');
    expect(diffFiles(before, fingerprintFiles(scope))).toEqual(['.git/config', '.git/hooks/pre-push']);
    // What any gc or repack regenerates (the user's own, mid-run) is not a change; info/exclude is.
    const again = fingerprintFiles(scope);
    writeFile(d, '.git/info/refs', 'abc\trefs/heads/main\n');
    writeFile(d, '.git/info/packs', 'P pack-x.pack\n');
    expect(diffFiles(again, fingerprintFiles(scope))).toEqual([]);
    fs.appendFileSync(path.join(d, '.git', 'info', 'exclude'), 'planted/\n');
    expect(diffFiles(again, fingerprintFiles(scope))).toEqual(['.git/info/exclude']);
  });
});
