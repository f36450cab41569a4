/**
 * `runr wait` (every condition, every exit code) and `runr follow` (a finished run, a live run, a
 * workflow run), against the built CLI, scripted workers and real git.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Json } from './helpers.js';
import { baseConfig, cleanup, json, jsonLines, makeTaskRepo, onlyRunId, readRecord, runrIn, sleep, spawnRunr, track, TWO_MILESTONES, waitFor, writeFile } from './helpers.js';
import { makeRepo } from '../helpers/cli.js';

afterEach(cleanup);

/** Verification that fails while src/greet.ts says "broken". */
const FAILING = baseConfig({ verification: { tier0: ['! grep -q broken src/greet.ts'] }, limits: { max_verify_retries: 2 } });
const BROKEN = { ...TWO_MILESTONES, milestones: { ...TWO_MILESTONES.milestones, m1: { implement: [{ write: { 'src/greet.ts': '// broken\n' } }] } } };
/** m2's worker is busy until the test creates `go` (a file outside the repository), so the run is live when the test looks however loaded the machine. */
const slowUntil = (go: string) => ({ ...TWO_MILESTONES, milestones: { ...TWO_MILESTONES.milestones, m2: { implement: [{ sleep_ms: 600_000, until_exists: go, write: { 'src/farewell.ts': 'export const f = 1;\n' } }] } } });
const goFile = (): string => path.join(track(fs.mkdtempSync(path.join(os.tmpdir(), 'runr-go-'))), 'go');

function finishedRun(opts: { config?: Record<string, unknown>; script?: object } = {}): { dir: string; id: string } {
  const dir = track(makeTaskRepo(opts));
  const r = runrIn(dir, ['run', '--task', '.runr/tasks/task.md', '--worktree', '--foreground']);
  expect([0, 3]).toContain(r.status);
  return { dir, id: onlyRunId(dir)! };
}

describe('runr wait', () => {
  it('on a completed run: each condition, the guide’s JSON object, exit 0', () => {
    const { dir, id } = finishedRun();
    const w = runrIn(dir, ['wait', id, '--for', 'terminal', '--json']);
    expect(w.status).toBe(0);
    expect(json(w)).toEqual({ run_id: id, phase: 'STOPPED', stop_reason: 'complete', milestones_completed: 2, milestones_total: 2, status: 'PASSED', condition: 'terminal', result: 'met' });
    expect(runrIn(dir, ['wait', id, '--for', 'complete']).status).toBe(0);
    expect(runrIn(dir, ['wait', 'latest', '--for', 'milestone:2']).status).toBe(0);
    const stop = runrIn(dir, ['wait', id, '--for', 'stop', '--json']);
    expect(stop.status).toBe(0); // the run is complete; a stop can no longer come
    expect(json(stop)).toMatchObject({ result: 'impossible', stop_reason: 'complete' });
    expect(json(runrIn(dir, ['wait', id, '--for', 'milestone:3', '--json']))).toMatchObject({ result: 'impossible' });
    expect(runrIn(dir, ['wait', id, '--for', 'terminal']).stdout).toContain(`Run ${id} complete: 2/2 milestones`);
  });

  it('on a stopped run: exit 3 (the condition held or can no longer hold)', () => {
    const { dir, id } = finishedRun({ config: FAILING, script: BROKEN });
    const t = runrIn(dir, ['wait', id, '--for', 'terminal', '--json']);
    expect(t.status).toBe(3);
    expect(json(t)).toMatchObject({ run_id: id, phase: 'STOPPED', stop_reason: 'verification_failed_max_retries', milestones_completed: 0, result: 'met' });
    const c = runrIn(dir, ['wait', id, '--for', 'complete', '--json']);
    expect(c.status).toBe(3);
    expect(json(c)).toMatchObject({ result: 'impossible' });
    expect(json(runrIn(dir, ['wait', id, '--for', 'stop', '--json']))).toMatchObject({ result: 'met' });
    expect(runrIn(dir, ['wait', id, '--for', 'phase:REVIEW']).status).toBe(3);
    expect(runrIn(dir, ['wait', id, '--for', 'milestone:1']).status).toBe(3);
  });

  it('on a live run: phase and milestone conditions return while it runs (0); a timeout exits 124', async () => {
    const go = goFile();
    const dir = track(makeTaskRepo({ script: slowUntil(go) }));
    const run = spawnRunr(dir, ['run', '--task', '.runr/tasks/task.md', '--worktree', '--foreground']);
    const id = await waitFor('the run', () => onlyRunId(dir));
    const m1 = runrIn(dir, ['wait', id, '--for', 'milestone:1', '--json']);
    expect(m1.status).toBe(0);
    expect(json(m1)).toMatchObject({ milestones_completed: 1, status: 'RUNNING', result: 'met' });
    const impl = json<Json>(runrIn(dir, ['wait', id, '--for', 'phase:implement', '--json']));
    expect(impl).toMatchObject({ phase: 'IMPLEMENT', result: 'met' });
    const t = runrIn(dir, ['wait', id, '--for', 'complete', '--timeout', '0.2', '--json']);
    expect(t.status).toBe(124);
    expect(json(t)).toMatchObject({ result: 'timeout', status: 'RUNNING' });
    fs.writeFileSync(go, '');
    const done = runrIn(dir, ['wait', id, '--for', 'complete', '--json']);
    expect(done.status).toBe(0);
    expect(json(done)).toMatchObject({ stop_reason: 'complete', milestones_completed: 2 });
    expect((await run.done).code).toBe(0);
  });

  it('bad input and unknown runs exit 2', () => {
    const { dir, id } = finishedRun();
    for (const [args, re] of [
      [['wait', id, '--for', 'soon'], /--for: expected terminal\|complete\|stop/],
      [['wait', id, '--for', 'phase:LUNCH'], /phase:LUNCH: a task run's phases are PLAN/],
      [['wait', id, '--for', 'gate:G2'], /task runs have no gates/],
      [['wait', id, '--for', 'milestone:0'], /--for/],
      [['wait', id, '--for', 'terminal', '--timeout', 'x'], /--timeout/],
      [['wait', 'run_nope', '--for', 'terminal'], /Run not found/],
      [['wait', '../../x', '--for', 'terminal'], /invalid run id/],
    ] as const) {
      const r = runrIn(dir, [...args]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(re);
    }
  });
});

describe('runr follow', () => {
  it('a finished run: phases, the failing verification command, checkpoints with sha, the stop and its next step', () => {
    const { dir, id } = finishedRun({ config: FAILING, script: BROKEN });
    const f = runrIn(dir, ['follow', id]);
    expect(f.status).toBe(3);
    const out = f.stdout;
    expect(out).toMatch(/PLAN: 2 milestones/);
    expect(out).toMatch(/m1 IMPLEMENT attempt 1: ok, 1 file changed/);
    expect(out).toMatch(/m1 VERIFY failed: tier0 `! grep -q broken src\/greet.ts` exit 1/);
    expect(out).toMatch(/stopped: verification_failed_max_retries/);
    expect(out.trim().split('\n').at(-1)).toMatch(new RegExp(`^Run ${id} stopped: verification_failed_max_retries`));

    const ok = finishedRun();
    const g = runrIn(ok.dir, ['follow', ok.id]);
    expect(g.status).toBe(0);
    const sha = (readRecord(ok.dir, ok.id).checkpoints as Array<{ sha: string }>)[0]!.sha;
    expect(g.stdout).toContain(`m1 CHECKPOINT ${sha.slice(0, 12)}`);
    expect(g.stdout).toMatch(/m2 REVIEW round 1: approve/);
  });

  it('--json: one event per line from the start, then follow.end', () => {
    const { dir, id } = finishedRun();
    const lines = jsonLines(runrIn(dir, ['follow', id, '--json']).stdout);
    expect(lines[0]).toMatchObject({ run_id: id, seq: 1, type: 'run.created' });
    expect(lines.map((l) => l.seq).slice(0, -1)).toEqual(lines.slice(0, -1).map((_, i) => i + 1));
    expect(lines.find((l) => l.type === 'task.checkpointed')).toMatchObject({ milestone_index: 0, summary: expect.stringMatching(/^m1 CHECKPOINT [0-9a-f]{12}/) });
    expect(lines.at(-1)).toEqual({ type: 'follow.end', run_id: id, status: 'PASSED', phase: 'STOPPED', stop_reason: 'complete', milestones_completed: 2, milestones_total: 2 });
  });

  it('a live run: from the start, or only new events with --since now; exits when the run ends', async () => {
    const go = goFile();
    const dir = track(makeTaskRepo({ script: slowUntil(go) }));
    const run = spawnRunr(dir, ['run', '--task', '.runr/tasks/task.md', '--worktree', '--foreground']);
    const id = await waitFor('m2 IMPLEMENT', () => {
      const rid = onlyRunId(dir);
      return rid !== undefined && readRecord(dir, rid).task?.engine?.milestone_index === 1 ? rid : undefined;
    });
    const all = spawnRunr(dir, ['follow', id, '--json']);
    const fresh = spawnRunr(dir, ['follow', id, '--json', '--since', 'now']);
    // Both started together; once the first prints, give the second a moment to take its "now",
    // then let m2's worker finish.
    await waitFor('follow to print', () => all.stdout().includes('\n'));
    await sleep(3000);
    fs.writeFileSync(go, '');
    const [a, n] = await Promise.all([all.done, fresh.done]);
    expect((await run.done).code).toBe(0);
    expect([a.code, n.code]).toEqual([0, 0]);
    const aLines = jsonLines(a.stdout);
    const nLines = jsonLines(n.stdout);
    expect(aLines[0]).toMatchObject({ type: 'run.created' });
    expect(nLines.some((l) => l.type === 'run.created' || l.type === 'task.planned')).toBe(false);
    expect(nLines.filter((l) => l.type === 'task.checkpointed').map((l) => l.milestone_index)).toEqual([1]);
    expect(aLines.at(-1)).toMatchObject({ type: 'follow.end', stop_reason: 'complete' });
  });
});

describe('workflow runs', () => {
  it('wait --for gate:G1 returns when the gate passes; follow shows gate starts, attempts and results', async () => {
    const dir = track(makeRepo());
    const ART = 'src/essays/robot';
    const id = json<{ run_id: string }>(runrIn(dir, ['run', 'start', '--workflow', 'visual-essay', '--slug', 'robot', '--artifact-path', ART, '--json'])).run_id;
    const waiting = spawnRunr(dir, ['wait', id, '--for', 'gate:G1', '--json']);
    expect(runrIn(dir, ['gate', 'start', '--run', id, '--gate', 'G1', '--agent', 'intake']).status).toBe(0);
    expect(runrIn(dir, ['gate', 'finish', '--run', id, '--gate', 'G1']).status).toBe(1);
    expect(runrIn(dir, ['gate', 'start', '--run', id, '--gate', 'G1', '--agent', 'intake']).status).toBe(0);
    writeFile(dir, `${ART}/research/INTAKE.md`, '# intake\n');
    expect(runrIn(dir, ['gate', 'finish', '--run', id, '--gate', 'G1']).status).toBe(0);
    const w = await waiting.done;
    expect(w.code).toBe(0);
    expect(JSON.parse(w.stdout)).toMatchObject({ run_id: id, phase: 'G1:PASS', milestones_completed: 1, milestones_total: 3, status: 'RUNNING', result: 'met' });
    expect(json(runrIn(dir, ['wait', id, '--for', 'phase:G1:PASS', '--json']))).toMatchObject({ result: 'met' });
    expect(runrIn(dir, ['wait', id, '--for', 'complete', '--timeout', '0.2']).status).toBe(124);
    expect(runrIn(dir, ['run', 'complete', '--run', id, '--status', 'CANCELED']).status).toBe(0);
    const f = runrIn(dir, ['follow', id]);
    expect(f.status).toBe(3);
    expect(f.stdout).toMatch(/G1 started \(attempt 1, manual executor, agent intake\)/);
    expect(f.stdout).toMatch(/G1 FAIL \(attempt 1\): None of required files exist/);
    expect(f.stdout).toMatch(/G1 PASS \(attempt 2\)/);
    expect(f.stdout).toMatch(/run completed: CANCELED/);
    expect(runrIn(dir, ['wait', id, '--for', 'gate:G2']).status).toBe(3);
  });
});
