/**
 * End to end: the built CLI, the scripted worker, real git in temp repositories.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { baseConfig, checkpointCommits, json, makeTaskRepo, readRecord, removeRepo, runrIn, sh, TWO_MILESTONES } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeRepo(d);
});
function repo(opts: Parameters<typeof makeTaskRepo>[0] = {}): string {
  const d = makeTaskRepo(opts);
  dirs.push(d);
  return d;
}

describe('runr run --task', () => {
  it('a 2-milestone --worktree run completes with 2 checkpoint commits and nothing runr-owned in them', () => {
    const dir = repo();
    const base = sh(dir, ['rev-parse', 'HEAD']).trim();
    const r = runrIn(dir, ['run', '--task', '.runr/tasks/task.md', '--worktree', '--json', '--foreground']);
    expect(r.status, r.stderr).toBe(0);
    const out = json<{ run_id: string; run_dir: string; repo_root: string; status: string }>(r);
    expect(Object.keys(out).sort()).toEqual(['repo_root', 'run_dir', 'run_id', 'status']);
    expect(out.status).toBe('started');
    expect(out.repo_root).toBe(dir);
    expect(out.run_dir).toBe(path.join(dir, '.runr', 'runs', out.run_id));
    expect(r.stderr).toBe('');

    const branch = `runr/${out.run_id}`;
    const cps = checkpointCommits(dir, branch);
    expect(cps.map((c) => [c.run, c.milestone])).toEqual([
      [out.run_id, 'm2'],
      [out.run_id, 'm1'],
    ]);
    // Each checkpoint contains exactly the milestone's file; no runr files in the tree.
    expect(sh(dir, ['show', '--name-only', '--format=', cps[1]!.sha]).trim()).toBe('src/greet.ts');
    expect(sh(dir, ['show', '--name-only', '--format=', cps[0]!.sha]).trim()).toBe('src/farewell.ts');
    expect(sh(dir, ['ls-tree', '-r', '--name-only', branch]).split('\n').filter((f) => f.startsWith('.runr/runs') || f.startsWith('.runr/worktrees'))).toEqual([]);
    // The main checkout is untouched; the worktree is where the work happened.
    expect(sh(dir, ['rev-parse', 'HEAD']).trim()).toBe(base);
    expect(fs.existsSync(path.join(dir, 'src', 'greet.ts'))).toBe(false);
    expect(fs.readFileSync(path.join(dir, '.runr', 'worktrees', out.run_id, 'src', 'farewell.ts'), 'utf8')).toContain('bye');

    const run = readRecord(dir, out.run_id);
    expect(run).toMatchObject({ kind: 'task', status: 'PASSED', phase: 'STOPPED', stop_reason: 'complete' });
    expect(run.checkpoints.map((c: { sha: string }) => c.sha)).toEqual([cps[1]!.sha, cps[0]!.sha]);
    expect(JSON.stringify(run)).not.toContain(dir); // no absolute paths in records
    const events = fs.readFileSync(path.join(dir, '.runr', 'runs', out.run_id, 'record', 'events.jsonl'), 'utf8');
    expect(events).toContain(cps[0]!.sha); // shas are in the journal
    expect(events).not.toContain(dir);
    const stop = readRecord(dir, out.run_id, 'handoffs/stop.json');
    expect(stop).toMatchObject({ stop_reason: 'complete', next_action: 'none', milestones: { completed: 2, total: 2 } });
  });

  it('works in place on a new branch, and refuses a dirty tree unless --allow-dirty', () => {
    const dir = repo();
    fs.writeFileSync(path.join(dir, 'README.md'), '# changed\n');
    const refused = runrIn(dir, ['run', '--task', '.runr/tasks/task.md', '--json', '--foreground']);
    expect(refused.status).toBe(2);
    // Under --json the error is also one object on stdout (issue 15, item 7).
    expect(JSON.parse(refused.stdout)).toMatchObject({ error: { code: 'worktree_dirty' } });
    expect(refused.stderr).toMatch(/Worktree is dirty: 1 changed file \(README.md\)/);
    expect(fs.existsSync(path.join(dir, '.runr', 'runs'))).toBe(false);

    const ok = runrIn(dir, ['run', '--task', '.runr/tasks/task.md', '--allow-dirty', '--json', '--foreground']);
    expect(ok.status, ok.stderr).toBe(0);
    const id = json<{ run_id: string }>(ok).run_id;
    expect(sh(dir, ['symbolic-ref', '--short', 'HEAD']).trim()).toBe(`runr/${id}`);
    // The pre-existing dirty file was neither flagged nor committed.
    const files = sh(dir, ['diff', '--name-only', 'HEAD~2', 'HEAD']).trim().split('\n').sort();
    expect(files).toEqual(['src/farewell.ts', 'src/greet.ts']);
    expect(fs.readFileSync(path.join(dir, 'README.md'), 'utf8')).toBe('# changed\n');
  });

  it('--fast skips PLAN and REVIEW', () => {
    const dir = repo({ task: '# Add greet\n\n## Goal\nAdd greet\n' });
    const r = runrIn(dir, ['run', '--task', '.runr/tasks/task.md', '--worktree', '--fast', '--json', '--foreground']);
    expect(r.status, r.stderr).toBe(0);
    const report = json<{ phases: Record<string, unknown>; milestones: unknown }>(runrIn(dir, ['report', 'latest', '--json']));
    expect(Object.keys(report.phases).sort()).toEqual(['CHECKPOINT', 'IMPLEMENT', 'VERIFY']);
    expect(report.milestones).toEqual({ completed: 1, total: 1 });
  });

  it('rejects invalid input with exit 2 and writes nothing', () => {
    const dir = repo();
    const cases: Array<[string[], RegExp]> = [
      [['run', '--task', 'nope.md'], /--task: nope.md: file not found/],
      [['run', '--task', '.runr/tasks/task.md', '--time', 'soon'], /--time/],
      [['run', '--task', '.runr/tasks/task.md', '--max-ticks', '0'], /--max-ticks/],
      [['resume', '../../x'], /invalid run id/],
      [['status', '../x'], /invalid run id/],
      [['report', 'a/b'], /invalid run id/],
    ];
    for (const [args, re] of cases) {
      const r = runrIn(dir, args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(re);
    }
    expect(fs.existsSync(path.join(dir, '.runr', 'runs'))).toBe(false);
    expect(fs.existsSync(path.join(dir, '..', 'x'))).toBe(false);
  });

  it('a broken config names the file and the field', () => {
    const dir = repo({ config: baseConfig({ limits: { max_verify_retries: 'three' } }) });
    const r = runrIn(dir, ['run', '--task', '.runr/tasks/task.md', '--worktree']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/\.runr\/runr\.config\.json: limits\.max_verify_retries: expected (a )?number/);
  });
});

describe('verification failure and resume', () => {
  const script = {
    ...TWO_MILESTONES,
    milestones: {
      ...TWO_MILESTONES.milestones,
      m1: {
        implement: [
          { write: { 'src/greet.ts': 'export const greet = 1; // broken\n' } },
          { write: { 'src/greet.ts': 'export const greet = 2; // broken\n' } },
          { write: { 'src/greet.ts': 'export const greet = 3; // broken\n' } },
          { write: { 'src/greet.ts': 'export const greet = () => "ok"; // fixed\n' } },
        ],
      },
    },
  };
  const config = baseConfig({ verification: { tier0: ['test -f README.md'], tier1: ['! grep -q broken src/greet.ts 2>/dev/null || { echo "FAIL: greet is broken"; exit 1; }'] } });

  it('stops with verification_failed_max_retries, then resume re-verifies, resets the budget and completes', () => {
    const dir = repo({ script, config });
    const r = runrIn(dir, ['run', '--task', '.runr/tasks/task.md', '--worktree', '--json', '--foreground']);
    expect(r.status).toBe(3);
    const id = json<{ run_id: string }>(r).run_id;
    const st = json<Record<string, unknown>>(runrIn(dir, ['status', id]));
    expect(st).toMatchObject({ phase: 'STOPPED', stop_reason: 'verification_failed_max_retries', verification_failures: 3, milestone_index: 0, resumable: true });
    const rep = json<Record<string, unknown>>(runrIn(dir, ['report', id, '--json']));
    expect(rep).toMatchObject({ outcome: 'stopped', next_action: 'resume', suggested_command: `runr resume ${id}`, milestones: { completed: 0, total: 2 } });
    const stop = readRecord(dir, id, 'handoffs/stop.json');
    expect(stop).toMatchObject({ stop_reason: 'verification_failed_max_retries', resumable: true, next_action: 'resume' });
    expect(stop.last_failure.output_tail).toContain('FAIL: greet is broken');
    // The failed work is still in the worktree (kept for the re-verification).
    expect(fs.readFileSync(path.join(dir, '.runr', 'worktrees', id, 'src', 'greet.ts'), 'utf8')).toContain('broken');

    const again = runrIn(dir, ['resume', id, '--json', '--foreground']);
    expect(again.status, again.stderr).toBe(0);
    expect(json(again)).toMatchObject({ run_id: id, status: 'resumed' });
    const done = json<Record<string, unknown>>(runrIn(dir, ['report', id, '--json']));
    expect(done).toMatchObject({ outcome: 'complete', stop_reason: 'complete', milestones: { completed: 2, total: 2 } });
    // 3 failures, then the re-verification failed once more (4), then attempt 4 passed.
    const run = readRecord(dir, id);
    expect(run.milestones[0]).toMatchObject({ implement_attempts: 4, verify_failures_total: 4, status: 'complete' });
    expect((done.verify as { retries: number }).retries).toBeGreaterThanOrEqual(4);
    expect(checkpointCommits(dir, `runr/${id}`)).toHaveLength(2);
  });
});
