/**
 * Landing's one-process merge in the integration worktree (src/orchestrate/merge-in-worktree.ts),
 * on real temp repositories: it gives what the object-database merge gives (same tree, parents and
 * message; a fast-forward when the head descends from the branch; nothing when it is already in
 * it), leaves the worktree checked out at the result, backs out of a conflict with the conflicted
 * paths, and declines (null) when the worktree is not clean at the head it would merge onto.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Integration } from '../../src/orchestrate/integration.js';
import { commitOn, gitRepo } from './git-repo.js';
import { git, removeRepo } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeRepo(d);
});

function repo(): { dir: string; base: string } {
  const dir = gitRepo(dirs, 'runr-mergehere-', 'one\ntwo\nthree\n');
  const base = git(dir, ['rev-parse', 'HEAD']).trim();
  git(dir, ['branch', 'integ', base]);
  return { dir, base };
}

const headOf = (wt: string): string => git(wt, ['rev-parse', 'HEAD']).trim();
const clean = (wt: string): boolean => git(wt, ['status', '--porcelain', '--untracked-files=all']).trim() === '';

describe('landing merge in the integration worktree', () => {
  it('fast-forwards, merges like merge-tree + commit-tree, and says when a head is already in', async () => {
    const { dir, base } = repo();
    const a = commitOn(dir, 'ta', base, 'b.txt', 'b\n');
    const c = commitOn(dir, 'tc', base, 'c.txt', 'c\n');
    const it = await Integration.open(dir, path.join(dir, '.runr'), 'orch1', 'integ', base);
    const ff = await it.mergeHere(base, a, 'land a');
    expect(ff).toEqual({ kind: 'merged', old: base, merged: a });
    expect(headOf(it.dir)).toBe(a);
    await it.keep(a, base);
    const m = await it.mergeHere(a, c, 'land c\n\nbody\n');
    if (m === null || m.kind !== 'merged') throw new Error(`expected a merge, got ${JSON.stringify(m)}`);
    expect(headOf(it.dir)).toBe(m.merged);
    expect(clean(it.dir)).toBe(true);
    expect(git(dir, ['rev-list', '--parents', '-n', '1', m.merged]).trim().split(' ').slice(1)).toEqual([a, c]);
    // The same tree the object-database merge writes.
    const tree = git(dir, ['merge-tree', '--write-tree', a, c]).trim();
    expect(git(dir, ['rev-parse', `${m.merged}^{tree}`]).trim()).toBe(tree);
    expect(git(dir, ['log', '-1', '--format=%B', m.merged]).trim()).toBe('land c\n\nbody');
    await it.keep(m.merged, a);
    expect(git(dir, ['rev-parse', 'refs/heads/integ']).trim()).toBe(m.merged);
    // A head that is already in the branch: nothing moves.
    expect(await it.mergeHere(m.merged, c, 'land c again')).toEqual({ kind: 'already', old: m.merged });
    expect(headOf(it.dir)).toBe(m.merged);
    await it.remove();
  });

  it('backs out of a conflict with the conflicted paths, and declines when the worktree is not at the head', async () => {
    const { dir, base } = repo();
    const a = commitOn(dir, 'ta', base, 'a.txt', 'one\nTWO (a)\nthree\n');
    const d = commitOn(dir, 'td', base, 'a.txt', 'one\nTWO (d)\nthree\n');
    const it = await Integration.open(dir, path.join(dir, '.runr'), 'orch2', 'integ', base);
    expect((await it.mergeHere(base, a, 'land a'))?.kind).toBe('merged');
    await it.keep(a, base);
    expect(await it.mergeHere(a, d, 'land d')).toEqual({ kind: 'conflict', old: a, files: ['a.txt'] });
    expect(headOf(it.dir)).toBe(a);
    expect(clean(it.dir)).toBe(true);
    expect(git(dir, ['rev-parse', 'refs/heads/integ']).trim()).toBe(a);
    // The worktree moved away from the head (as after a landing that someone else's move undid).
    git(it.dir, ['checkout', '-q', '--detach', base]);
    const e = commitOn(dir, 'te', base, 'e.txt', 'e\n');
    expect(await it.mergeHere(a, e, 'land e')).toBeNull();
    // The usual path still lands it (and checks the result out).
    const m = await it.merge(e, 'land e');
    expect(m.kind).toBe('merged');
    if (m.kind === 'merged') expect(headOf(it.dir)).toBe(m.merged);
    await it.remove();
  });
});
