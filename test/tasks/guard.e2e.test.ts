/** The scope guard, end to end: lockfiles at any depth, escaping symlinks, .git/ changes, denylist. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Json } from './helpers.js';
import { baseConfig, checkpointCommits, json, makeTaskRepo, readRecord, removeRepo, runrIn } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeRepo(d);
});

function oneMilestone(step: Record<string, unknown>): object {
  return { plan: { milestones: [{ goal: 'Change things' }] }, milestones: { m1: { implement: [step] } } };
}

function runGuarded(step: Record<string, unknown>, args: string[] = ['--worktree'], config = baseConfig({ scope: { allowlist: ['src/**', 'packages/**'] } })) {
  const dir = makeTaskRepo({ script: oneMilestone(step), config });
  dirs.push(dir);
  const r = runrIn(dir, ['run', '--task', '.runr/tasks/task.md', ...args, '--json', '--foreground']);
  const id = json<{ run_id: string }>(r).run_id;
  return { dir, r, id, status: json<Json>(runrIn(dir, ['status', id])) };
}

describe('scope guard', () => {
  it('a lockfile in a subfolder needs --allow-deps', () => {
    const step = { write: { 'src/app.ts': 'x\n', 'packages/web/package-lock.json': '{}\n' } };
    const { r, status, dir, id } = runGuarded(step);
    expect(r.status).toBe(3);
    expect(status).toMatchObject({ stop_reason: 'guard_violation', guard_violation_files: ['packages/web/package-lock.json'], resumable: false, next_action: 'resolve_scope_violation' });
    const stop = readRecord(dir, id, 'handoffs/stop.json');
    expect(stop.guard_violations).toEqual([{ path: 'packages/web/package-lock.json', rule: 'lockfile', detail: 'dependency changes require --allow-deps' }]);
    expect(checkpointCommits(dir, `runr/${id}`)).toEqual([]);

    const allowed = runGuarded(step, ['--worktree', '--allow-deps']);
    expect(allowed.r.status, allowed.r.stderr).toBe(0);
    expect(allowed.status.stop_reason).toBe('complete');
  });

  it('files outside the allowlist and on the denylist are violations, listed in the human output too', () => {
    const { r, status } = runGuarded({ write: { 'src/ok.ts': 'x\n', 'infra/main.tf': 'x\n', '.env': 'SECRET=1\n' } }, []);
    expect(r.status).toBe(3);
    expect(status.guard_violation_files.sort()).toEqual(['.env', 'infra/main.tf']);
    const dir = makeTaskRepo({ script: oneMilestone({ write: { 'infra/main.tf': 'x\n' } }) });
    dirs.push(dir);
    const human = runrIn(dir, ['run', '--task', '.runr/tasks/task.md', '--worktree']);
    expect(human.status).toBe(3);
    expect(human.stdout).toMatch(/stopped: guard_violation/);
    expect(human.stdout).toMatch(/infra\/main\.tf \(allowlist\)/);
    const report = runrIn(dir, ['report', 'latest']);
    expect(report.stdout).toMatch(/guard_violation: infra\/main\.tf/);
  });

  it('a symlink pointing outside the worktree is a violation (absolute and relative)', () => {
    const { status } = runGuarded({ symlink: { 'src/passwd': '/etc/passwd', 'src/up': '../../../../../outside', 'src/fine': 'ok.ts' }, write: { 'src/ok.ts': 'x\n' } });
    expect(status.stop_reason).toBe('guard_violation');
    expect(status.guard_violation_files.sort()).toEqual(['src/passwd', 'src/up']);
  });

  it('an edit to .git/hooks is a violation, in place and from a worktree', () => {
    const inPlace = runGuarded({ write: { 'src/ok.ts': 'x\n', '.git/hooks/pre-commit': '#!/bin/sh\ncurl evil\n' } }, []);
    expect(inPlace.r.status).toBe(3);
    expect(inPlace.status.guard_violation_files).toEqual(['.git/hooks/pre-commit']);
    // From .runr/worktrees/<id>, the shared hooks directory is ../../../.git/hooks.
    const fromWorktree = runGuarded({ write: { 'src/ok.ts': 'x\n', '../../../.git/hooks/post-checkout': '#!/bin/sh\n' } });
    expect(fromWorktree.status.guard_violation_files).toEqual(['.git/hooks/post-checkout']);
    // The planted hook is moved out of .git/hooks (into the run's logs/quarantine/), so it never runs.
    expect(fs.existsSync(path.join(fromWorktree.dir, '.git', 'hooks', 'post-checkout'))).toBe(false);
    const quarantined = fs.readdirSync(path.join(fromWorktree.dir, '.runr', 'runs', fromWorktree.id, 'logs', 'quarantine'), { recursive: true }).map(String);
    expect(quarantined.some((f) => f.endsWith('post-checkout'))).toBe(true);
  });

  it('runr’s own files never trip the guard, milestone after milestone (in place)', () => {
    const dir = makeTaskRepo();
    dirs.push(dir);
    const r = runrIn(dir, ['run', '--task', '.runr/tasks/task.md', '--json', '--foreground']);
    expect(r.status, r.stderr).toBe(0);
  });

  it('a plan that expects files outside the scope stops with plan_scope_violation', () => {
    const dir = makeTaskRepo({ script: { plan: { milestones: [{ goal: 'x', files_expected: ['src/a.ts', 'infra/main.tf'] }] } } });
    dirs.push(dir);
    const r = runrIn(dir, ['run', '--task', '.runr/tasks/task.md', '--worktree', '--json', '--foreground']);
    expect(r.status).toBe(3);
    expect(json(runrIn(dir, ['status', 'latest']))).toMatchObject({ stop_reason: 'plan_scope_violation', guard_violation_files: ['infra/main.tf'] });
  });
});
