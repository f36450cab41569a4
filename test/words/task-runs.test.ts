/**
 * Issue 15, items 5, 8, 9: task runs whose worktree is lost, outside git, and stopped on lockfiles.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeRepo } from '../helpers/cli.js';
import type { Json } from '../tasks/helpers.js';
import { baseConfig, checkpointCommits, json, makeTaskRepo, removeRepo, runrIn, sh, TASK_MD, writeFile } from '../tasks/helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeRepo(d);
});

function track(d: string): string {
  dirs.push(d);
  return d;
}

const ONE = { milestones: { m1: { implement: [{ write: { 'src/greet.ts': 'export const greet = 1;\n' } }] } }, default: { implement: [{ write: { 'src/greet.ts': 'export const greet = 1;\n' } }] } };

/**
 * A task run stopped right before CHECKPOINT (--fast: IMPLEMENT, VERIFY, CHECKPOINT; two ticks),
 * whose worktree is then removed: the state every test of item 5 starts from.
 */
function stoppedWithoutWorktree(): { dir: string; id: string; wt: string } {
  const dir = track(makeTaskRepo({ script: ONE }));
  const r = runrIn(dir, ['run', '--task', '.runr/tasks/task.md', '--worktree', '--fast', '--max-ticks', '2', '--json', '--foreground']);
  expect(r.status, r.stderr).toBe(3);
  const id = json<{ run_id: string }>(r).run_id;
  const wt = path.join(dir, '.runr', 'worktrees', id);
  fs.rmSync(wt, { recursive: true, force: true });
  return { dir, id, wt };
}

describe('item 5: resume after the worktree is gone', () => {
  it('recreates the worktree from the run’s branch, and a milestone with no change is not checkpointed as done', () => {
    const { dir, id, wt } = stoppedWithoutWorktree();

    const again = runrIn(dir, ['resume', id]);
    expect(again.stderr).toContain(`recreated .runr/worktrees/${id} from runr/${id}`);
    expect(again.status, again.stderr).toBe(3);
    const st = json<Json>(runrIn(dir, ['status', id]));
    expect(st).toMatchObject({ stop_reason: 'nothing_to_checkpoint', resumable: true, next_action: 'resume' });
    expect(st.milestones[0].status).not.toBe('complete');
    expect(checkpointCommits(dir, `runr/${id}`)).toEqual([]);
    expect(fs.existsSync(path.join(wt, '.git'))).toBe(true);

    // Resume implements the milestone again; now it has a change, and it is checkpointed.
    const last = runrIn(dir, ['resume', id]);
    expect(last.status, last.stderr).toBe(0);
    const commits = checkpointCommits(dir, `runr/${id}`);
    expect(commits.map((c) => c.milestone)).toEqual(['m1']);
    expect(sh(dir, ['show', '--name-only', '--format=', commits[0]!.sha]).trim()).toBe('src/greet.ts');
  });

  it('a worktree recreated by hand with nothing in it does not complete the milestone either', () => {
    const { dir, id, wt } = stoppedWithoutWorktree();
    sh(dir, ['worktree', 'prune']);
    sh(dir, ['worktree', 'add', '-q', wt, `runr/${id}`]);
    expect(runrIn(dir, ['resume', id]).status).toBe(3);
    expect(json<Json>(runrIn(dir, ['status', id])).stop_reason).toBe('nothing_to_checkpoint');
    expect(checkpointCommits(dir, `runr/${id}`)).toEqual([]);
  });
});

describe('item 5: resume after a kill between adding the worktree and checking it out', () => {
  it('a worktree added but never checked out (no index) is made again, not judged', () => {
    const { dir, id, wt } = stoppedWithoutWorktree();
    // What a kill -9 right after `git worktree add --no-checkout` leaves: a `.git` file, no files.
    sh(dir, ['worktree', 'prune']);
    sh(dir, ['worktree', 'add', '-q', '--no-checkout', wt, `runr/${id}`]);
    expect(fs.existsSync(path.join(wt, 'README.md'))).toBe(false);

    const again = runrIn(dir, ['resume', id]);
    expect(again.stderr).toContain(`recreated .runr/worktrees/${id} from runr/${id}`);
    const st = json<Json>(runrIn(dir, ['status', id]));
    expect(st.stop_reason, again.stderr).not.toBe('guard_violation');
    expect(fs.existsSync(path.join(wt, 'README.md'))).toBe(true);
  });
});

describe('item 8: git state problems are invalid input (exit 2)', () => {
  it('not a git repository', () => {
    const dir = track(makeRepo({ git: false, fixtures: false }));
    writeFile(dir, '.runr/runr.config.json', baseConfig());
    writeFile(dir, '.runr/script.json', ONE);
    writeFile(dir, '.runr/tasks/task.md', TASK_MD);
    writeFile(dir, 'README.md', '# x\n');
    const r = runrIn(dir, ['run', '--task', '.runr/tasks/task.md', '--worktree']);
    expect(r.stderr).toMatch(/not inside a git repository/);
    expect(r.status).toBe(2);
    expect(fs.existsSync(path.join(dir, '.runr', 'runs'))).toBe(false);
  });

  it('no commits', () => {
    const dir = track(makeTaskRepo({ script: ONE, commit: false }));
    const r = runrIn(dir, ['run', '--task', '.runr/tasks/task.md', '--worktree']);
    expect(r.stderr).toMatch(/no commits/);
    expect(r.status).toBe(2);
  });
});

describe('item 9: resume --allow-deps after a guard_violation', () => {
  const config = baseConfig({ scope: { allowlist: ['src/**', 'packages/**'] } });
  function stopped(write: Record<string, string>): { dir: string; id: string } {
    const dir = track(makeTaskRepo({ config, script: { plan: { milestones: [{ goal: 'Change things' }] }, milestones: { m1: { implement: [{ write }] } } } }));
    const r = runrIn(dir, ['run', '--task', '.runr/tasks/task.md', '--worktree', '--json', '--foreground']);
    expect(r.status, r.stderr).toBe(3);
    const id = json<{ run_id: string }>(r).run_id;
    expect(json<Json>(runrIn(dir, ['status', id])).stop_reason).toBe('guard_violation');
    return { dir, id };
  }

  it('resumes when the only violations are lockfiles; the guard re-checks with deps allowed', () => {
    const { dir, id } = stopped({ 'src/app.ts': 'x\n', 'packages/web/package-lock.json': '{}\n' });
    const plain = runrIn(dir, ['resume', id]);
    expect(plain.status).toBe(1);
    expect(plain.stderr).toContain('not resumable');
    const r = runrIn(dir, ['resume', id, '--allow-deps']);
    expect(r.status, r.stderr).toBe(0);
    const st = json<Json>(runrIn(dir, ['status', id]));
    expect(st.stop_reason).toBe('complete');
    const commits = checkpointCommits(dir, `runr/${id}`);
    expect(commits).toHaveLength(1);
    expect(sh(dir, ['show', '--name-only', '--format=', commits[0]!.sha]).trim().split('\n').sort()).toEqual(['packages/web/package-lock.json', 'src/app.ts']);
    const events = fs.readFileSync(path.join(dir, '.runr/runs', id, 'record/events.jsonl'), 'utf8');
    expect(events).toContain('"allow_deps":true');
  });

  it('any other violation stays non-resumable, with --allow-deps too', () => {
    const { dir, id } = stopped({ 'infra/main.tf': 'x\n', 'packages/web/package-lock.json': '{}\n' });
    const r = runrIn(dir, ['resume', id, '--allow-deps']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('infra/main.tf (allowlist)');
    expect(json<Json>(runrIn(dir, ['status', id])).stop_reason).toBe('guard_violation');
  });
});
