/** Pure pieces: worker output parsing, scope rules, task files, config, views, journal replay. */
import { describe, expect, it } from 'vitest';
import { TaskConfigSchema, taskConfigProblems } from '../../src/core/tasks/config.js';
import { makeScopeMatcher, checkPaths, planScopeViolations } from '../../src/core/tasks/scope.js';
import { effective, reportView, statusView } from '../../src/core/tasks/views.js';
import { replay } from '../../src/core/reduce/index.js';
import type { JournalEvent } from '../../src/core/events/index.js';
import { extractJson, unwrapOutput } from '../../src/workers/protocol.js';
import { fastMilestones, parseTaskText } from '../../src/tasks/task-file.js';
import { parseTaskConfig } from '../../src/config/task-section.js';
import { checkpointed, implemented, planned, reviewed, started, verified } from './engine-fakes.js';

describe('worker output', () => {
  it('prefers the last BEGIN_JSON/END_JSON block, then a bare object, then a ```json fence', () => {
    expect(extractJson('noise BEGIN_JSON {"a":1} END_JSON more BEGIN_JSON\n{"a":2}\nEND_JSON')).toEqual({ a: 2 });
    expect(extractJson('BEGIN_JSON\n```json\n{"a":3}\n```\nEND_JSON')).toEqual({ a: 3 });
    expect(extractJson('  {"status":"ok"}\n')).toEqual({ status: 'ok' });
    expect(extractJson('Here you go:\n```json\n{"b":1}\n```\n')).toEqual({ b: 1 });
    expect(extractJson('I did it!')).toBeUndefined();
    expect(extractJson('[1,2]')).toBeUndefined();
  });

  it('unwraps claude -p --output-format json (with usage) and codex --json lines', () => {
    const claude = JSON.stringify({ type: 'result', subtype: 'success', result: 'Done.\nBEGIN_JSON\n{"status":"ok","handoff_memo":"m"}\nEND_JSON', usage: { input_tokens: 10, cache_read_input_tokens: 5, output_tokens: 7 }, total_cost_usd: 0.01 });
    const u = unwrapOutput(claude, 'claude-json');
    expect(u.usage).toEqual({ tokens_in: 15, tokens_out: 7, cost_usd: 0.01 });
    expect(extractJson(u.text)).toEqual({ status: 'ok', handoff_memo: 'm' });
    const codex = [
      JSON.stringify({ type: 'thread.started' }),
      JSON.stringify({ type: 'item.completed', item: { type: 'agent_message', text: 'first' } }),
      JSON.stringify({ type: 'item.completed', item: { type: 'agent_message', text: 'BEGIN_JSON {"status":"approve","changes":[]} END_JSON' } }),
      JSON.stringify({ type: 'turn.completed', usage: { input_tokens: 3, output_tokens: 4 } }),
    ].join('\n');
    const c = unwrapOutput(codex, 'jsonl');
    expect(extractJson(c.text)).toEqual({ status: 'approve', changes: [] });
    expect(c.usage).toEqual({ tokens_in: 3, tokens_out: 4 });
    expect(unwrapOutput(JSON.stringify({ msg: { type: 'agent_message', message: '{"x":1}' } }), 'jsonl').text).toBe('{"x":1}');
  });
});

describe('scope rules', () => {
  const scope = TaskConfigSchema.parse({ scope: { allowlist: ['src/**'], presets: ['vitest'] } }).scope;

  it('denylist, then lockfiles at any depth, then allowlist (with presets)', () => {
    const m = makeScopeMatcher(scope, { allowDeps: false });
    expect(checkPaths(['src/a.ts', 'test/a.test.ts', 'vitest.config.ts', 'docs/x.md', '.env', 'src/.env', 'web/yarn.lock', 'src/deep/pnpm-lock.yaml', 'src/server.pem'], m)).toEqual([
      { path: 'docs/x.md', rule: 'allowlist' },
      { path: '.env', rule: 'denylist' },
      { path: 'src/.env', rule: 'denylist' },
      { path: 'web/yarn.lock', rule: 'lockfile', detail: 'dependency changes require --allow-deps' },
      { path: 'src/deep/pnpm-lock.yaml', rule: 'lockfile', detail: 'dependency changes require --allow-deps' },
      { path: 'src/server.pem', rule: 'denylist' },
    ]);
    expect(checkPaths(['web/yarn.lock'], makeScopeMatcher(scope, { allowDeps: true }))).toEqual([]);
  });

  it('an empty allowlist allows everything not denied; plan files are checked, globs skipped', () => {
    const open = makeScopeMatcher(TaskConfigSchema.parse({}).scope, { allowDeps: false });
    expect(checkPaths(['anything/at/all.txt'], open)).toEqual([]);
    const m = makeScopeMatcher(scope, { allowDeps: false });
    expect(planScopeViolations(['./src/a.ts', 'src/**/*.ts', 'infra/x.tf', '../outside'], m)).toEqual([
      { path: 'infra/x.tf', rule: 'plan_scope', detail: 'allowlist' },
      { path: '../outside', rule: 'plan_scope', detail: 'outside the repository' },
    ]);
  });
});

describe('task files', () => {
  it('reads title, goal, lists, and an optional milestones list for --fast', () => {
    const t = parseTaskText('# Add dark mode toggle\n\n## Goal\nUsers can switch themes\n\n## Requirements\n- Toggle in settings\n* Persists\n\n## Success Criteria\n1. Tests pass\n\n## Notes (optional)\n- none\n\n## Milestones\n- Add the toggle\n- Persist it\n');
    expect(t).toMatchObject({ title: 'Add dark mode toggle', goal: 'Users can switch themes', requirements: ['Toggle in settings', 'Persists'], success_criteria: ['Tests pass'], notes: ['none'] });
    expect(fastMilestones(t).map((m) => m.goal)).toEqual(['Add the toggle', 'Persist it']);
    const single = parseTaskText('# Fix it\n\n## Goal\nMake it work\n');
    expect(fastMilestones(single)).toEqual([{ goal: 'Fix it: Make it work', files_expected: [], done_checks: [], risk_level: 'medium' }]);
    expect(parseTaskText('no headings at all').title).toBe('');
  });
});

describe('config', () => {
  it('applies defaults and names the field of a problem', () => {
    const cfg = parseTaskConfig({}, 'cfg');
    expect(cfg.limits).toEqual({ max_verify_retries: 3, max_review_rounds: 2, time_budget_min: null, max_ticks: 100, stall_timeout_s: null });
    expect(cfg.workers).toEqual({ claude: { adapter: 'claude', timeout_s: 2700 } });
    expect(cfg.verification.tier0).toEqual([]);
    expect(parseTaskConfig({ verification: { tier1: 'npm run build' } }, 'cfg').verification.tier1).toEqual(['npm run build']);
    expect(() => parseTaskConfig({ workers: { me: { adapter: 'command' } } }, 'cfg.json')).toThrow('cfg.json: workers.me.command: required for a command worker');
    expect(() => parseTaskConfig({ phases: { implement: 'ghost' } }, 'cfg.json')).toThrow(/phases.implement: no worker named "ghost"/);
    expect(() => parseTaskConfig({ scope: { presets: ['rails'] } }, 'cfg.json')).toThrow(/cfg.json: scope.presets\[0\]/);
    expect(() => parseTaskConfig({ verification: { cwd: '../up' } }, 'cfg.json')).toThrow(/verification.cwd/);
    expect(taskConfigProblems(TaskConfigSchema.parse({ workers: { s: { adapter: 'scripted' } } }))).toEqual([{ field: 'workers.s.script', problem: 'required for a scripted worker' }]);
  });
});

describe('journal replay and views', () => {
  const bodies = [started(), planned(2), implemented(0, 1), verified(0, false), implemented(0, 2), verified(0, true), reviewed(0, 1, 'approve'), checkpointed(0)];
  const created = { type: 'run.created' as const, run_id: 'run_x', kind: 'task' as const, workflow: { name: 'task', version: '1', slug: 't', artifact_path: '' }, depth: 'standard', prompt: null, params: {}, gates: [] };
  const journal = [created, ...bodies].map((b, i) => ({ schema_version: 1 as const, seq: i + 1, ts: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), prev: null, ...b })) as JournalEvent[];

  it('replaying the journal rebuilds phase, milestones, checkpoints and KPIs', () => {
    const run = replay(journal)!;
    expect(run).toMatchObject({ kind: 'task', status: 'RUNNING', phase: 'IMPLEMENT', stop_reason: null, metrics: { milestones_total: 2, milestones_completed: 1, verification_failures: 1 } });
    expect(run.checkpoints).toEqual([{ milestone_index: 0, milestone: 'm1', sha: 'sha0', at: '2026-01-01T00:00:08.000Z', reused: false }]);
    const report = reportView(run, true, new Date('2026-01-01T00:01:00Z'), null);
    expect(report).toMatchObject({ outcome: 'running', phase: 'IMPLEMENT', ended_at: null, total_duration_ms: 60_000, checkpoint_sha: 'sha0', milestones: { completed: 1, total: 2 }, stop_reason: null, next_action: 'none' });
    expect(report.phases).toEqual({ PLAN: { duration_ms: 5, count: 1 }, IMPLEMENT: { duration_ms: 14, count: 2 }, VERIFY: { duration_ms: 6, count: 2 }, REVIEW: { duration_ms: 2, count: 1 }, CHECKPOINT: { duration_ms: 1, count: 1 } });
    expect(report.verify).toEqual({ attempts: 2, retries: 1, total_duration_ms: 6 });
  });

  it('a RUNNING record without a live lock is shown stopped/interrupted, ended at its last event', () => {
    const run = replay(journal)!;
    expect(effective(run, false)).toEqual({ status: 'STOPPED', phase: 'STOPPED', stop_reason: 'interrupted', dead: true });
    const st = statusView(run, false);
    expect(st).toMatchObject({ status: 'STOPPED', stop_reason: 'interrupted', resumable: true, next_action: 'resume', suggested_command: 'runr resume run_x', alive: false, milestone_index: 1 });
    const report = reportView(run, false, new Date('2026-01-02T00:00:00Z'), '2026-01-01T00:00:08.000Z');
    expect(report).toMatchObject({ outcome: 'stopped', stop_reason: 'interrupted', ended_at: '2026-01-01T00:00:08.000Z', total_duration_ms: 8000 });
  });

  it('a completed run reports complete with next_action none', () => {
    const done = [...bodies, implemented(1, 1), verified(1, true), reviewed(1, 1, 'approve'), checkpointed(1)];
    const all = [created, ...done].map((b, i) => ({ schema_version: 1 as const, seq: i + 1, ts: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), prev: null, ...b })) as JournalEvent[];
    const run = replay(all)!;
    expect(run).toMatchObject({ status: 'PASSED', phase: 'STOPPED', stop_reason: 'complete', finished_at: '2026-01-01T00:00:12.000Z' });
    expect(reportView(run, false, new Date(), null)).toMatchObject({ outcome: 'complete', stop_reason: 'complete', next_action: 'none', total_duration_ms: 12_000, checkpoint_sha: 'sha1' });
  });
});
