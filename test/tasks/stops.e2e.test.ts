/** Stop reasons end to end: review loop, worker timeout (process group), parse failures, budgets, secrets. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Json } from './helpers.js';
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
function start(dir: string, extra: string[] = [], env?: Record<string, string>) {
  const r = runrIn(dir, ['run', '--task', '.runr/tasks/task.md', '--worktree', ...extra, '--json', '--foreground'], env ? { env } : {});
  return { r, id: json<{ run_id: string }>(r).run_id };
}
const status = (dir: string, id: string) => json<Json>(runrIn(dir, ['status', id]));

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : [path.join(dir, d.name)]));
}

describe('stop reasons', () => {
  it('review_loop_detected when the reviewer asks for the same changes twice', () => {
    const dir = repo({
      script: {
        ...TWO_MILESTONES,
        milestones: { ...TWO_MILESTONES.milestones, m1: { ...TWO_MILESTONES.milestones.m1, review: [{ status: 'request_changes', changes: ['Add tests for greet'] }, { status: 'request_changes', changes: ['add tests for greet.'] }] } },
      },
    });
    const { r, id } = start(dir);
    expect(r.status).toBe(3);
    expect(status(dir, id)).toMatchObject({ stop_reason: 'review_loop_detected', resumable: false, next_action: 'inspect_logs' });
    expect(json(runrIn(dir, ['report', id, '--json']))).toMatchObject({ phases: { REVIEW: { count: 2 }, IMPLEMENT: { count: 2 } } });
    // The implementer was told what the reviewer wanted.
    const prompt = fs.readFileSync(path.join(dir, '.runr', 'runs', id, 'logs', 'prompts', 'implement-m1-a2.md'), 'utf8');
    expect(prompt).toContain('Add tests for greet');
  });

  it('worker_timeout kills the worker’s whole process group', () => {
    const marker = path.join(fs.realpathSync(os.tmpdir()), `runr-leak-${process.pid}-${Date.now()}`);
    const dir = repo({
      files: { 'agent.sh': '#!/bin/sh\n(sleep 3; echo leaked > "$MARKER") &\nsleep 30\n' },
      config: baseConfig({ workers: { slow: { adapter: 'command', command: 'sh', args: [path.join('..', '..', '..', 'agent.sh')], timeout_s: 1, env: { MARKER: marker } } }, phases: {} }),
    });
    const t0 = Date.now();
    const { r, id } = start(dir, ['--fast']);
    expect(r.status).toBe(3);
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(status(dir, id)).toMatchObject({ stop_reason: 'worker_timeout', resumable: true, next_action: 'resume' });
    // The background grandchild would write the marker after 3 s if it had survived.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 4000);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('worker_parse_failed after one "JSON only" reminder; a worker that complies on the reminder continues', () => {
    const bad = repo({ script: { plan: { raw: 'Sure! I will do it.' } } });
    const a = start(bad);
    expect(a.r.status).toBe(3);
    expect(status(bad, a.id)).toMatchObject({ stop_reason: 'worker_parse_failed', resumable: false });
    const log = fs.readFileSync(path.join(bad, '.runr', 'runs', a.id, 'logs', 'workers', 'plan-plan-a1.log'), 'utf8');
    expect(log).toContain('(reminder)');

    const ok = repo({ script: { ...TWO_MILESTONES, plan: { ...TWO_MILESTONES.plan, raw: 'thinking…', raw_first: true } } });
    expect(start(ok).r.status).toBe(0);
  });

  it('implement_blocked (resumable) carries the worker’s memo', () => {
    const dir = repo({ script: { ...TWO_MILESTONES, milestones: { m1: { implement: [{ status: 'blocked', memo: 'need database credentials' }] } } } });
    const { r, id } = start(dir);
    expect(r.status).toBe(3);
    expect(status(dir, id)).toMatchObject({ stop_reason: 'implement_blocked', stop_detail: 'need database credentials', resumable: true });
  });

  it('time_budget_exceeded and max_ticks_reached are resumable and resume completes', () => {
    const slow = repo({ script: { ...TWO_MILESTONES, milestones: { ...TWO_MILESTONES.milestones, m1: { implement: [{ sleep_ms: 20_000 }, TWO_MILESTONES.milestones.m1.implement[0]] } } } });
    const t0 = Date.now();
    const a = start(slow, ['--time', '0.02']);
    expect(a.r.status).toBe(3);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(status(slow, a.id)).toMatchObject({ stop_reason: 'time_budget_exceeded', resumable: true });
    expect(runrIn(slow, ['resume', a.id]).status).toBe(0);

    const ticks = repo();
    const b = start(ticks, ['--max-ticks', '3']);
    expect(b.r.status).toBe(3);
    expect(status(ticks, b.id)).toMatchObject({ stop_reason: 'max_ticks_reached', phase: 'STOPPED' });
    expect(json(runrIn(ticks, ['report', b.id, '--json']))).toMatchObject({ next_action: 'resume', suggested_command: `runr resume ${b.id}` });
    expect(runrIn(ticks, ['resume', b.id]).status).toBe(0);
    expect(checkpointCommits(ticks, `runr/${b.id}`)).toHaveLength(2);
  });

  it('a checkpoint committed just before a crash is reused on resume, never duplicated', () => {
    const dir = repo();
    // PLAN, IMPLEMENT, VERIFY, REVIEW: the 5th step (CHECKPOINT m1) is refused by --max-ticks 4.
    const { id } = start(dir, ['--max-ticks', '4']);
    expect(status(dir, id)).toMatchObject({ stop_reason: 'max_ticks_reached' });
    const wt = path.join(dir, '.runr', 'worktrees', id);
    // Simulate runr dying right after `git commit` and before the journal append.
    sh(wt, ['add', '-A']);
    sh(wt, ['commit', '-q', '-m', `runr(m1): Add greet\n\nRunr-Run: ${id}\nRunr-Milestone: m1`]);
    const precommitted = sh(wt, ['rev-parse', 'HEAD']).trim();
    expect(runrIn(dir, ['resume', id]).status).toBe(0);
    const cps = checkpointCommits(dir, `runr/${id}`);
    expect(cps.map((c) => c.milestone)).toEqual(['m2', 'm1']);
    expect(cps[1]!.sha).toBe(precommitted);
    expect(readRecord(dir, id).checkpoints[0]).toMatchObject({ sha: precommitted, reused: true });
  });
});

describe('secrets', () => {
  it('a verification command that prints a token from the environment leaves no trace in record/ or logs/', () => {
    const secret = 'zq9-verysecret-4242-token';
    const dir = repo({ config: baseConfig({ verification: { tier0: ['echo "connecting with $MY_SERVICE_TOKEN"; exit 1'] }, limits: { max_verify_retries: 1 } }) });
    const { r, id } = start(dir, [], { MY_SERVICE_TOKEN: secret });
    expect(r.status).toBe(3);
    const runDir = path.join(dir, '.runr', 'runs', id);
    const files = walk(runDir);
    expect(files.some((f) => f.endsWith('stop.json'))).toBe(true);
    for (const f of files) expect(fs.readFileSync(f, 'utf8'), f).not.toContain(secret);
    expect(fs.readFileSync(path.join(runDir, 'record', 'events.jsonl'), 'utf8')).toContain('[REDACTED:MY_SERVICE_TOKEN]');
    expect(fs.readFileSync(path.join(runDir, 'logs', 'verify', 'm1.log'), 'utf8')).toContain('connecting with [REDACTED:MY_SERVICE_TOKEN]');
    const report = runrIn(dir, ['report', id], { env: { MY_SERVICE_TOKEN: secret } });
    expect(report.stdout).not.toContain(secret);
  });
});
