/**
 * The orchestrator's git plumbing, on real temp repositories: git started from a worker thread
 * (src/git/spawn-thread.ts) gives exactly what a direct spawn gives, and the integration branch's
 * kept head and background cleanliness check (src/orchestrate/integration.ts) stay correct when
 * someone else moves the branch or verification leaves files behind.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { git as runGit, GitError } from '../../src/git/exec.js';
import { useGitThread } from '../../src/git/spawn-thread.js';
import { Integration, IntegrationMoved } from '../../src/orchestrate/integration.js';
import { commitOn, gitRepo } from './git-repo.js';
import { git, removeRepo, writeFile } from './helpers.js';

const dirs: string[] = [];
const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
  for (const d of dirs.splice(0)) removeRepo(d);
});

const repo = (): string => gitRepo(dirs, 'runr-gitthread-', 'a\n');

describe('git from a worker thread', () => {
  it('gives what a direct spawn gives: stdout as bytes, stdin, exit codes, errors', async () => {
    const dir = repo();
    const direct = await runGit(['rev-parse', 'HEAD'], { cwd: dir });
    const directHash = await runGit(['hash-object', '--stdin'], { cwd: dir, input: 'hello\n' });
    const t = useGitThread();
    stops.push(t.stop);
    const viaThread = await runGit(['rev-parse', 'HEAD'], { cwd: dir });
    expect(viaThread.code).toBe(0);
    expect(Buffer.isBuffer(viaThread.stdout)).toBe(true);
    expect(viaThread.stdout.equals(direct.stdout)).toBe(true);
    expect((await runGit(['hash-object', '--stdin'], { cwd: dir, input: 'hello\n' })).stdout.equals(directHash.stdout)).toBe(true);
    // -z output keeps its NUL bytes.
    const z = await runGit(['ls-files', '-z'], { cwd: dir });
    expect(z.stdout.toString('utf8')).toBe('a.txt\0');
    // A failing command: its code and stderr with allowFail, a GitError without.
    const bad = await runGit(['rev-parse', '--verify', 'refs/heads/nope'], { cwd: dir, allowFail: true });
    expect(bad.code).not.toBe(0);
    await expect(runGit(['rev-parse', '--verify', 'refs/heads/nope'], { cwd: dir })).rejects.toBeInstanceOf(GitError);
    // A directory that does not exist: git cannot start.
    await expect(runGit(['status'], { cwd: path.join(dir, 'gone') })).rejects.toThrow(/could not run git/);
    // Many at once, each answered by its own call.
    const many = await Promise.all(Array.from({ length: 12 }, (_, i) => runGit(['hash-object', '--stdin'], { cwd: dir, input: `n${i}\n` })));
    expect(new Set(many.map((r) => r.stdout.toString('utf8'))).size).toBe(12);
    expect(t.thread.started).toBeGreaterThanOrEqual(17);
    // Stopped: git starts directly again (the thread counts no more).
    await t.stop();
    const n = t.thread.started;
    expect((await runGit(['rev-parse', 'HEAD'], { cwd: dir })).stdout.equals(direct.stdout)).toBe(true);
    expect(t.thread.started).toBe(n);
  });
});

describe('the integration branch', () => {
  it('notices a move by someone else at the compare-and-swap, and reads the head again', async () => {
    const dir = repo();
    const base = git(dir, ['rev-parse', 'HEAD']).trim();
    git(dir, ['branch', 'integ', base]);
    const a = commitOn(dir, 'ta', base, 'b.txt', 'b\n');
    const it = await Integration.open(dir, path.join(dir, '.runr'), 'orch1', 'integ');
    expect(await it.head()).toBe(base);
    // Someone else moves the branch after the orchestrator read it.
    const other = commitOn(dir, 'tx', base, 'x.txt', 'x\n');
    git(dir, ['update-ref', 'refs/heads/integ', other, base]);
    const m = await it.merge(a, 'land a');
    expect(m.kind).toBe('merged'); // onto the head it knew (a fast-forward of base)
    if (m.kind !== 'merged') return;
    await expect(it.keep(m.merged, m.old)).rejects.toBeInstanceOf(IntegrationMoved);
    expect(git(dir, ['rev-parse', 'refs/heads/integ']).trim()).toBe(other); // not clobbered
    expect(await it.head()).toBe(other);
    // Landing again merges onto the new head, and keeps it.
    const again = await it.merge(a, 'land a');
    expect(again.kind).toBe('merged');
    if (again.kind !== 'merged') return;
    expect(again.old).toBe(other);
    await it.keep(again.merged, again.old);
    expect(git(dir, ['rev-parse', 'refs/heads/integ']).trim()).toBe(again.merged);
    expect(git(dir, ['ls-tree', '--name-only', 'refs/heads/integ']).split('\n')).toEqual(expect.arrayContaining(['a.txt', 'b.txt', 'x.txt']));
    await it.remove();
  });

  it('a worktree that verification left dirty is reset before the next landing is checked out', async () => {
    const dir = repo();
    const base = git(dir, ['rev-parse', 'HEAD']).trim();
    git(dir, ['branch', 'integ', base]);
    const a = commitOn(dir, 'ta', base, 'b.txt', 'b\n');
    const c = commitOn(dir, 'tc', base, 'c.txt', 'c\n');
    const it = await Integration.open(dir, path.join(dir, '.runr'), 'orch2', 'integ');
    const m1 = await it.merge(a, 'land a');
    if (m1.kind !== 'merged') throw new Error(m1.kind);
    // "Verification" writes an untracked file and changes a tracked one.
    writeFile(it.dir, 'leftover.txt', 'junk\n');
    writeFile(it.dir, 'a.txt', 'changed\n');
    await it.keep(m1.merged, m1.old);
    const m2 = await it.merge(c, 'land c');
    if (m2.kind !== 'merged') throw new Error(m2.kind);
    expect(fs.existsSync(path.join(it.dir, 'leftover.txt'))).toBe(false);
    expect(fs.readFileSync(path.join(it.dir, 'a.txt'), 'utf8')).toBe('a\n');
    expect(fs.existsSync(path.join(it.dir, 'c.txt'))).toBe(true);
    expect(git(it.dir, ['rev-parse', 'HEAD']).trim()).toBe(m2.merged);
    await it.keep(m2.merged, m2.old);
    // And a clean one is only checked out (nothing to reset): the result is the same tree.
    expect(git(it.dir, ['status', '--porcelain']).trim()).toBe('');
    await it.remove();
  });

  it("keeps a log of this session's landings: what landed after a position, by other tracks, without git; none once someone else moved the branch", async () => {
    const dir = repo();
    const base = git(dir, ['rev-parse', 'HEAD']).trim();
    git(dir, ['branch', 'integ', base]);
    const a = commitOn(dir, 'ta', base, 'b.txt', 'b\n');
    const c = commitOn(dir, 'tc', base, 'c.txt', 'c\n');
    const it = await Integration.open(dir, path.join(dir, '.runr'), 'orch3', 'integ', base);
    expect(it.positionOf(base)).toBe(0);
    expect(await it.landedAfter(0, 'x')).toEqual({ head: base, files: [] });
    // A fast-forward from the task's own base needs no git at all.
    const m1 = await it.mergeOnto(base, a, 'land a', base);
    expect(m1).toEqual({ kind: 'merged', old: base, merged: a });
    await it.keep(a, base, [{ at: a, track: 'ta', files: Promise.resolve(['b.txt']) }]);
    const m2 = await it.mergeOnto(a, c, 'land c', base);
    if (m2.kind !== 'merged') throw new Error(m2.kind);
    await it.keep(m2.merged, a, [{ at: m2.merged, track: 'tc', files: Promise.resolve(['c.txt']) }]);
    expect(it.positionOf(a)).toBe(1);
    expect(await it.landedAfter(0, 'x')).toEqual({ head: m2.merged, files: ['b.txt', 'c.txt'] });
    // A track's own landings are in its branch already.
    expect(await it.landedAfter(0, 'ta')).toEqual({ head: m2.merged, files: ['c.txt'] });
    expect(await it.landedAfter(1, 'x')).toEqual({ head: m2.merged, files: ['c.txt'] });
    // Already landed: nothing to merge.
    expect((await it.mergeOnto(m2.merged, a, 'again', null)).kind).toBe('already');
    // Someone else moves it: the log no longer tells (git is asked instead).
    const other = commitOn(dir, 'tx', m2.merged, 'x.txt', 'x\n');
    git(dir, ['update-ref', 'refs/heads/integ', other, m2.merged]);
    const d = commitOn(dir, 'td', base, 'd.txt', 'd\n');
    const m3 = await it.mergeOnto(m2.merged, d, 'land d', base);
    if (m3.kind !== 'merged') throw new Error(m3.kind);
    await expect(it.keep(m3.merged, m2.merged, [{ at: m3.merged, track: 'td', files: Promise.resolve(['d.txt']) }])).rejects.toBeInstanceOf(IntegrationMoved);
    expect(await it.landedAfter(0, 'x')).toBeNull();
    expect(it.positionOf(base)).toBeNull();
    await it.remove();
  });
});
