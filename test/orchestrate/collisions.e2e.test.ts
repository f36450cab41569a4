/**
 * Collisions predicted before they happen (two tracks editing the same lines of one file) under
 * each policy; ownership; a merge that breaks verification is not kept.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Json } from './helpers.js';
import { filesOn, git, killOrchestrator, makeOrchRepo, orchestrate, removeRepo } from './helpers.js';

const dirs: string[] = [];
const ids: Array<[string, string]> = [];
afterAll(() => {
  for (const [d, id] of ids) killOrchestrator(d, id);
  for (const d of dirs) removeRepo(d);
});

const SHARED = 'line 1\nline 2\nline 3\n';

/** Track a edits line 2 of src/shared.txt at once; track b plans slowly, then edits the same line. */
function sameLines(): string {
  const dir = makeOrchRepo({
    files: { 'src/shared.txt': SHARED },
    tracks: {
      a: { a1: { write: { 'src/shared.txt': 'line 1\nline 2 by a\nline 3\n' }, expected: ['src/shared.txt'] } },
      b: { b1: { write: { 'src/shared.txt': 'line 1\nline 2 by b\nline 3\n' }, expected: ['src/shared.txt'], planSleepMs: 2500 } },
    },
  });
  dirs.push(dir);
  return dir;
}

function track(status: Json, id: string): Json {
  return (status.tracks as Json[]).find((t) => t.id === id) as Json;
}

describe('collision policies', () => {
  it('serialize: the conflict is predicted after the first checkpoint, the later track waits, both land', () => {
    const dir = sameLines();
    const r = orchestrate(dir, ['--collision-policy', 'serialize']);
    ids.push([dir, r.id]);
    expect(r.wait.status, r.wait.stdout).toBe(0);
    expect(r.status.landed).toBe(2);
    const c = (r.report.predicted as Json[]).find((x) => x.action === 'wait');
    // Either a is still active (other: 'a') or has landed already (other: null, the integration branch).
    expect(c).toMatchObject({ kind: 'claims', track: 'b', files: ['src/shared.txt'] });
    expect([null, 'a']).toContain(c?.other);
    // The prediction cites track a's first checkpoint, made before b started its milestone.
    expect(c?.checkpoint?.track).toBe('a');
    expect((r.report.landed_tasks as Json[]).map((l) => l.track)).toEqual(['a', 'b']);
    expect(git(dir, ['show', `${r.status.integration_branch as string}:src/shared.txt`])).toBe('line 1\nline 2 by b\nline 3\n');
  });

  it('fail: the later track stops with parallel_file_collision naming the file', () => {
    const dir = sameLines();
    const r = orchestrate(dir, ['--collision-policy', 'fail']);
    ids.push([dir, r.id]);
    expect(r.wait.status).toBe(3);
    expect(r.status.status).toBe('stopped');
    expect(track(r.status, 'a').state).toBe('landed');
    const b = track(r.status, 'b');
    expect(b.state).toBe('stopped');
    expect(b.tasks[0]).toMatchObject({ state: 'stopped', stop_reason: 'parallel_file_collision', next_action: 'resolve_branch_mismatch' });
    expect(b.tasks[0].detail).toContain('src/shared.txt');
    expect((r.report.not_landed as Json[])[0]).toMatchObject({ track: 'b', reason: 'parallel_file_collision' });
  });

  it('force: both run, the risk is recorded, the conflict is reported at landing and the branch keeps the first', () => {
    const dir = sameLines();
    const r = orchestrate(dir, ['--collision-policy', 'force']);
    ids.push([dir, r.id]);
    expect(r.wait.status).toBe(3);
    const predicted = r.report.predicted as Json[];
    expect(predicted.some((x) => x.action === 'force' && (x.files as string[]).includes('src/shared.txt'))).toBe(true);
    // The merge dry-run after b's checkpoint predicted the conflict before b tried to land.
    expect(predicted.some((x) => x.action === 'reported' && (x.kind === 'merge_tree' || x.kind === 'integration') && (x.files as string[]).includes('src/shared.txt'))).toBe(true);
    const states = ['a', 'b'].map((t) => track(r.status, t).tasks[0] as Json);
    expect(states.filter((s) => s.state === 'landed')).toHaveLength(1);
    const failed = states.find((s) => s.state === 'not_landed') as Json;
    expect(failed).toMatchObject({ stop_reason: 'merge_conflict' });
    expect(failed.detail).toContain('src/shared.txt');
    const first = track(r.status, 'a').tasks[0].state === 'landed' ? 'a' : 'b';
    expect(git(dir, ['show', `${r.status.integration_branch as string}:src/shared.txt`])).toBe(`line 1\nline 2 by ${first}\nline 3\n`);
  });
});

describe('ownership and the merge queue', () => {
  it('a task changing a file outside its owns: globs stops with ownership_violation', () => {
    const dir = makeOrchRepo({
      tracks: {
        a: { a1: { front: 'owns: [src/a/**]', write: { 'src/a/ok.txt': 'ok\n', 'src/b/theirs.txt': 'mine now\n' } } },
        b: { b1: { front: 'owns:\n  - src/b/**', write: { 'src/b/b.txt': 'b\n' } } },
      },
    });
    dirs.push(dir);
    const r = orchestrate(dir);
    ids.push([dir, r.id]);
    expect(r.wait.status).toBe(3);
    const a = track(r.status, 'a').tasks[0] as Json;
    expect(a).toMatchObject({ state: 'stopped', stop_reason: 'ownership_violation', next_action: 'resolve_scope_violation' });
    expect(a.detail).toContain('src/b/theirs.txt');
    expect(track(r.status, 'b').state).toBe('landed');
    expect(filesOn(dir, r.status.integration_branch as string)).not.toContain('src/b/theirs.txt');
  });

  it('a merge that breaks verification is not kept; the track is reported with the failing command', () => {
    const check = 'test ! -f src/a.txt || test ! -f src/b.txt';
    const dir = makeOrchRepo({
      verification: { tier0: [check] },
      tracks: { a: { a1: { write: { 'src/a.txt': 'a\n' } } }, b: { b1: { write: { 'src/b.txt': 'b\n' }, planSleepMs: 1500 } } },
    });
    dirs.push(dir);
    const before = git(dir, ['rev-parse', 'HEAD']).trim();
    const r = orchestrate(dir);
    ids.push([dir, r.id]);
    expect(r.wait.status).toBe(3);
    const notLanded = r.report.not_landed as Json[];
    expect(notLanded).toHaveLength(1);
    expect(notLanded[0]).toMatchObject({ reason: 'merge_verification_failed' });
    expect(notLanded[0]?.detail).toContain(check);
    const t = track(r.status, notLanded[0]?.track as string).tasks[0] as Json;
    expect(t).toMatchObject({ state: 'not_landed', stop_reason: 'merge_verification_failed', next_action: 'inspect_logs' });
    // The integration branch holds exactly the one that landed; the user's branch did not move.
    const files = filesOn(dir, r.status.integration_branch as string);
    expect(files.filter((f) => f === 'src/a.txt' || f === 'src/b.txt')).toHaveLength(1);
    expect(git(dir, ['rev-parse', 'HEAD']).trim()).toBe(before);
  });
});
