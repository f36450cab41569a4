/**
 * A worker that tries to escape its worktree (issue 9). Each case: the hostile worker does one thing
 * runr must not let through, the run must stop with `guard_violation` naming what changed, what is
 * safe to restore is restored, and a second, honest run in the same repository completes without
 * any planted payload ever running (the payload appends to a marker file when it runs).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HostileRepo } from './helpers.js';
import { git, makeHostileRepo, removeHostile, runrAsync } from './helpers.js';

const repos: HostileRepo[] = [];
afterAll(() => {
  for (const h of repos.splice(0)) removeHostile(h);
});

interface Violation {
  path: string;
  rule: string;
  detail?: string;
}

interface Case {
  action: string;
  /** Violation paths expected (each must appear); `<id>` is replaced by the run id, `<main>` by the main branch. */
  paths: string[];
  /** Run with PLAN and REVIEW (the hostile action is in those phases). */
  full?: boolean;
  after?: (h: HostileRepo, id: string) => void;
}

const mainSha = new Map<HostileRepo, string>();

const CASES: Case[] = [
  { action: 'main-new', paths: ['src/planted.ts'] },
  { action: 'main-modify', paths: ['README.md'] },
  { action: 'main-delete', paths: ['README.md'] },
  { action: 'PLAN:main-new', paths: ['src/planted.ts'], full: true },
  {
    action: 'ref-main',
    paths: ['refs/heads/<main>'],
    after: (h) => expect(git(h.dir, ['rev-parse', `refs/heads/${h.mainBranch}`])).toBe(mainSha.get(h)),
  },
  { action: 'ref-create', paths: ['refs/heads/evil'] },
  { action: 'ref-delete-tag', paths: ['refs/tags/v1'], after: (h) => expect(git(h.dir, ['rev-parse', 'refs/tags/v1'])).toBe(git(h.dir, ['rev-parse', `${h.mainBranch}~1`])) },
  { action: 'REVIEW:ref-create', paths: ['refs/heads/evil'], full: true },
  { action: 'own-commit', paths: ['refs/heads/runr/<id>'] },
  { action: 'hook-post-commit', paths: ['.git/hooks/post-commit'], after: (h) => expect(fs.existsSync(path.join(h.dir, '.git/hooks/post-commit'))).toBe(false) },
  { action: 'hook-post-checkout', paths: ['.git/hooks/post-checkout'] },
  { action: 'hook-reference-transaction', paths: ['.git/hooks/reference-transaction'] },
  { action: 'hook-gitdir', paths: ['.git/worktrees/<id>/hooks/post-commit'] },
  {
    action: 'hookspath-config',
    paths: ['.git/config'],
    after: (h) => expect(() => git(h.dir, ['config', '--get', 'core.hooksPath'])).toThrow(),
  },
  { action: 'hookspath-worktree-config', paths: ['.git/config', '.git/worktrees/<id>/config.worktree'] },
  { action: 'fsmonitor', paths: ['.git/config'], after: (h) => expect(() => git(h.dir, ['config', '--get', 'core.fsmonitor'])).toThrow() },
  { action: 'filter', paths: ['.git/config'] },
  {
    action: 'dotgit-repoint',
    paths: ['.git'],
    after: (h, id) => expect(fs.readFileSync(path.join(h.dir, '.runr/worktrees', id, '.git'), 'utf8')).toMatch(/^gitdir: .*\.git\/worktrees\//),
  },
  { action: 'dotgit-dir', paths: ['.git'] },
  { action: 'info-exclude', paths: ['.git/info/exclude'] },
  { action: 'verify-plants-hook', paths: ['.git/hooks/post-commit'] },
  // The guard starts a guarded step from the previous step's clean check (repo-guard.ts): a change
  // in the step after a clean one is still seen, in every phase, and so is one made in between.
  { action: 'ref-main', paths: ['refs/heads/<main>'], full: true, after: (h) => expect(git(h.dir, ['rev-parse', `refs/heads/${h.mainBranch}`])).toBe(mainSha.get(h)) },
  { action: 'main-modify', paths: ['README.md'], full: true },
  { action: 'ref-delete-tag', paths: ['refs/tags/v1'], full: true },
  { action: 'REVIEW:main-modify', paths: ['README.md'], full: true },
  { action: 'REVIEW:ref-main', paths: ['refs/heads/<main>'], full: true },
  { action: 'verify-ref', paths: ['refs/tags/v1'], after: (h) => expect(git(h.dir, ['rev-parse', 'refs/tags/v1'])).toBe(git(h.dir, ['rev-parse', `${h.mainBranch}~1`])) },
  { action: 'verify-main', paths: ['README.md'], full: true },
  { action: 'late-ref', paths: ['refs/heads/late'] },
  { action: 'ref-file-rewrite', paths: ['refs/tags/v1'], after: (h) => expect(git(h.dir, ['rev-parse', 'refs/tags/v1'])).toBe(git(h.dir, ['rev-parse', `${h.mainBranch}~1`])) },
  { action: 'ref-file-rewrite', paths: ['refs/tags/v1'], full: true },
];

describe.concurrent('a hostile worker cannot escape its worktree', () => {
  for (const c of CASES) {
    it(`${c.action}${c.full === true ? ' (with PLAN and REVIEW)' : ''}`, async () => {
      const h = makeHostileRepo();
      repos.push(h);
      mainSha.set(h, git(h.dir, ['rev-parse', 'HEAD']));
      h.setAction(c.action);
      const r = await runrAsync(['run', '--task', '.runr/tasks/task.md', '--worktree', ...(c.full === true ? [] : ['--fast']), '--json', '--foreground'], { cwd: h.dir });
      const id = (JSON.parse(r.stdout) as { run_id: string }).run_id;
      expect(r.status, r.stderr).toBe(3);
      const stop = JSON.parse(fs.readFileSync(path.join(h.dir, '.runr/runs', id, 'record/handoffs/stop.json'), 'utf8')) as { stop_reason: string; guard_violations: Violation[] };
      expect(stop.stop_reason).toBe('guard_violation');
      const seen = stop.guard_violations.map((v) => v.path);
      for (const p of c.paths) expect(seen).toContain(p.replace('<id>', id).replace('<main>', h.mainBranch));
      c.after?.(h, id);
      // Nothing the worker planted runs through runr: an honest run (worktree add, checkpoint commits) completes.
      h.setAction('none');
      const honest = await runrAsync(['run', '--task', '.runr/tasks/task.md', '--worktree', '--fast', '--json', '--foreground'], { cwd: h.dir });
      expect(honest.status, honest.stderr).toBe(0);
      expect(fs.existsSync(h.marker) ? fs.readFileSync(h.marker, 'utf8') : '').toBe('');
    });
  }
});

describe.concurrent('the repository’s own hooks', () => {
  for (const userHooks of [true, false]) {
    it(`an unchanged post-commit hook ${userHooks ? 'runs' : 'does not run'} on checkpoint commits with guard.user_hooks: ${userHooks}`, async () => {
      const h = makeHostileRepo({ guard: { user_hooks: userHooks } });
      repos.push(h);
      const ran = path.join(h.ctl, 'user-hook-ran');
      fs.writeFileSync(path.join(h.dir, '.git/hooks/post-commit'), `#!/bin/sh\necho commit >> '${ran}'\n`, { mode: 0o755 });
      fs.writeFileSync(path.join(h.dir, '.git/hooks/post-checkout'), `#!/bin/sh\necho checkout >> '${ran}'\n`, { mode: 0o755 });
      const r = await runrAsync(['run', '--task', '.runr/tasks/task.md', '--worktree', '--fast', '--json', '--foreground'], { cwd: h.dir });
      expect(r.status, r.stderr).toBe(0);
      // post-checkout never runs (worktree add is runr's, not a commit); post-commit only when allowed.
      expect(fs.existsSync(ran) ? fs.readFileSync(ran, 'utf8') : '').toBe(userHooks ? 'commit\n' : '');
    });
  }
});
