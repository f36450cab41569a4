/** Temp git repositories set up for task runs with the scripted worker. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { makeRepo, runr, writeFile } from '../helpers/cli.js';
import type { RunrOptions, RunrResult } from '../helpers/cli.js';

export { runr, writeFile, removeRepo, repoRoot } from '../helpers/cli.js';

export function sh(cwd: string, args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

export const TASK_MD = `# Add greeting helpers

## Goal
Add greet() and farewell() helpers

## Requirements
- src/greet.ts exports greet(name)
- src/farewell.ts exports farewell(name)

## Success Criteria
- verification passes
`;

/** Plan with two milestones, each writing one file; verification checks the files' content. */
export const TWO_MILESTONES = {
  plan: {
    milestones: [
      { goal: 'Add greet', files_expected: ['src/greet.ts'], done_checks: ['greet exists'], risk_level: 'low' },
      { goal: 'Add farewell', files_expected: ['src/farewell.ts'], risk_level: 'low' },
    ],
  },
  milestones: {
    m1: { implement: [{ write: { 'src/greet.ts': 'export const greet = (n: string) => `hi ${n}`;\n' } }] },
    m2: { implement: [{ write: { 'src/farewell.ts': 'export const farewell = (n: string) => `bye ${n}`;\n' } }] },
  },
};

export interface TaskRepoOptions {
  script?: object;
  config?: Record<string, unknown>;
  files?: Record<string, string>;
  task?: string;
  /** Where the task file goes (default .runr/tasks/task.md). */
  taskFile?: string;
  /** Commit everything (default true). */
  commit?: boolean;
}

export function baseConfig(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    agent: { name: 'test', version: '1' },
    scope: { allowlist: ['src/**', 'tests/**'] },
    verification: { tier0: ['test -f README.md'] },
    workers: { scripted: { adapter: 'scripted', script: '.runr/script.json' } },
    phases: { plan: 'scripted', implement: 'scripted', review: 'scripted' },
    ...extra,
  };
}

export function makeTaskRepo(opts: TaskRepoOptions = {}): string {
  const dir = makeRepo({ fixtures: false });
  writeFile(dir, 'README.md', '# demo\n');
  writeFile(dir, '.gitignore', '.runr/runs/*/logs/\n.runr/worktrees/\nnode_modules/\n');
  writeFile(dir, '.runr/runr.config.json', opts.config ?? baseConfig());
  writeFile(dir, '.runr/script.json', opts.script ?? TWO_MILESTONES);
  writeFile(dir, opts.taskFile ?? '.runr/tasks/task.md', opts.task ?? TASK_MD);
  for (const [rel, text] of Object.entries(opts.files ?? {})) writeFile(dir, rel, text);
  if (opts.commit !== false) {
    sh(dir, ['add', '-A']);
    sh(dir, ['commit', '-q', '-m', 'init']);
  }
  return dir;
}

export function runrIn(dir: string, args: string[], opts: Partial<RunrOptions> = {}): RunrResult {
  return runr(args, { cwd: dir, ...opts });
}

export function json<T = Record<string, unknown>>(r: RunrResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON (exit ${r.status})\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests poke into records freely
export type Json = Record<string, any>;

export function readRecord(dir: string, runId: string, rel = 'RUN.json'): Json {
  return JSON.parse(fs.readFileSync(path.join(dir, '.runr', 'runs', runId, 'record', rel), 'utf8'));
}

/** Commits on a branch carrying Runr trailers: [{sha, milestone}]. */
export function checkpointCommits(dir: string, branch: string): Array<{ sha: string; run: string; milestone: string }> {
  const out = sh(dir, ['log', '--format=%H%x00%(trailers:key=Runr-Run,valueonly)%x00%(trailers:key=Runr-Milestone,valueonly)%x01', branch]);
  return out
    .split('\x01')
    .map((l) => l.trim().split('\0'))
    .filter((p) => (p[1] ?? '').trim() !== '')
    .map(([sha, run, milestone]) => ({ sha: sha ?? '', run: (run ?? '').trim(), milestone: (milestone ?? '').trim() }));
}
