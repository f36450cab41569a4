/**
 * The Runr operator guide (seed 002), its commands run word for word, produce the shapes it documents.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Json } from './helpers.js';
import { checkpointCommits, json, makeTaskRepo, removeRepo, runrIn, TWO_MILESTONES } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeRepo(d);
});

// The guide's task file, verbatim.
const ADD_AUTH = `# Add User Authentication

## Goal
Implement OAuth2 login with Google

## Requirements
- Session management
- Protected routes
- Logout functionality

## Success Criteria
- Users can log in with Google
- Sessions persist across refreshes
- Tests pass
`;

// The guide's config (plus the worker runr needs to be told about).
const CONFIG = {
  agent: { name: 'my-project', version: '1' },
  scope: { allowlist: ['src/**', 'tests/**'], presets: ['nextjs', 'vitest', 'typescript'] },
  verification: { tier0: ['npm run typecheck'], tier1: ['npm run build'], tier2: ['npm test'] },
  workers: { scripted: { adapter: 'scripted', script: '.runr/script.json' } },
};

const check = (needle: string) => `node -e "process.exit(require('fs').existsSync('src/greet.ts') && require('fs').readFileSync('src/greet.ts','utf8').includes('${needle}') ? 1 : 0)"`;
const PACKAGE = JSON.stringify({ name: 'demo', private: true, scripts: { typecheck: 'node -e 0', build: check('broken'), test: 'node -e 0' } }, null, 2);

const SCRIPT = {
  ...TWO_MILESTONES,
  milestones: {
    ...TWO_MILESTONES.milestones,
    m1: {
      implement: [
        { write: { 'src/greet.ts': '// broken\n' } },
        { write: { 'src/greet.ts': '// broken again\n' } },
        { write: { 'src/greet.ts': '// still broken\n' } },
        { write: { 'src/greet.ts': 'export const greet = (n: string) => `hi ${n}`;\n' } },
      ],
    },
  },
};

const REPORT_KEYS = ['version', 'run_id', 'phase', 'checkpoint_sha', 'total_duration_ms', 'started_at', 'ended_at', 'phases', 'verify', 'milestones', 'outcome', 'stop_reason', 'next_action', 'suggested_command'];

describe('operator guide, word for word', () => {
  it('run --worktree --json, status, report --json, resume, report --kpi-only', () => {
    const task = '.runr/tasks/add-auth.md';
    const dir = makeTaskRepo({ config: CONFIG, script: SCRIPT, task: ADD_AUTH, taskFile: task, files: { 'package.json': PACKAGE } });
    dirs.push(dir);

    // 1. Start a run
    const started = runrIn(dir, ['run', '--task', task, '--worktree', '--json']);
    const out = json<Json>(started);
    expect(Object.keys(out).sort()).toEqual(['repo_root', 'run_dir', 'run_id', 'status']);
    expect(out.status).toBe('started');
    const runId = out.run_id as string;
    // `--json` detaches (docs/supervise.md): the command returns once the run exists, exit 0.
    expect(started.status).toBe(0);

    // 5. Monitor: block until the run is terminal
    const waited = runrIn(dir, ['wait', runId, '--for', 'terminal', '--json']);
    expect(waited.status).toBe(3); // stopped, resumable: distinct from success (0) and bad input (2)
    expect(json<Json>(waited)).toMatchObject({ run_id: runId, phase: 'STOPPED', stop_reason: 'verification_failed_max_retries', milestones_completed: 0 });

    // 2. Check status
    const st = json<Json>(runrIn(dir, ['status', runId]));
    expect(st).toMatchObject({ phase: 'STOPPED', milestone_index: 0, stop_reason: 'verification_failed_max_retries', verification_failures: 3 });
    expect(st.milestones.map((m: Json) => [m.id, m.status])).toEqual([
      ['m1', 'in_progress'],
      ['m2', 'pending'],
    ]);

    // 6. Report --json: the documented keys, and next_action says resume
    const rep = json<Json>(runrIn(dir, ['report', runId, '--json']));
    expect(Object.keys(rep)).toEqual(REPORT_KEYS);
    expect(rep).toMatchObject({ version: 1, run_id: runId, phase: 'STOPPED', outcome: 'stopped', stop_reason: 'verification_failed_max_retries', next_action: 'resume', suggested_command: `runr resume ${runId}`, milestones: { completed: 0, total: 2 } });
    expect(Object.keys(rep.phases)).toEqual(['PLAN', 'IMPLEMENT', 'VERIFY']);
    for (const v of Object.values(rep.phases) as Json[]) expect(Object.keys(v)).toEqual(['duration_ms', 'count']);
    expect(Object.keys(rep.verify)).toEqual(['attempts', 'retries', 'total_duration_ms']);
    expect(rep.verify.retries).toBe(2);

    // 3. Resume from checkpoint
    const resumed = runrIn(dir, ['resume', runId]);
    expect(resumed.status, resumed.stderr).toBe(0);
    const done = json<Json>(runrIn(dir, ['status', runId]));
    expect(done).toMatchObject({ phase: 'STOPPED', stop_reason: 'complete', verification_failures: 0 });
    const final = json<Json>(runrIn(dir, ['report', runId, '--json']));
    expect(final).toMatchObject({ outcome: 'complete', next_action: 'none', milestones: { completed: 2, total: 2 } });
    expect(final.checkpoint_sha).toBe(checkpointCommits(dir, `runr/${runId}`)[0]!.sha);
    expect(Date.parse(final.ended_at as string)).toBeGreaterThanOrEqual(Date.parse(final.started_at as string));

    // Human-readable KPIs
    const kpi = runrIn(dir, ['report', runId, '--kpi-only']);
    expect(kpi.status).toBe(0);
    expect(kpi.stdout).toMatch(/complete/);
    expect(kpi.stdout).toMatch(/IMPLEMENT\s+\d+×/);
    expect(kpi.stdout).toMatch(/verify: \d+ command runs, \d+ retries/);
    expect(kpi.stdout).not.toMatch(/milestones:\n/); // details only without --kpi-only

    // "Use `runr status --all` to list runs."
    const all = json<Json>(runrIn(dir, ['status', '--all']));
    expect(all.runs.map((r: Json) => r.run_id)).toEqual([runId]);

    // Run Not Found
    const missing = runrIn(dir, ['status', 'run_20260102143052']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/Run not found/);
  });
});
