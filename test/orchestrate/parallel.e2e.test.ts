/** 3 tracks × 2 tasks on disjoint files: parallel, everything lands, records link both ways. */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Json } from './helpers.js';
import { filesOn, git, jsonOf, killOrchestrator, makeOrchRepo, orchestrate, record, removeRepo, runrIn } from './helpers.js';

const dirs: string[] = [];
const ids: Array<[string, string]> = [];
afterAll(() => {
  for (const [d, id] of ids) killOrchestrator(d, id);
  for (const d of dirs) removeRepo(d);
});

describe('orchestrate run: parallel tracks', () => {
  it('runs 3 tracks × 2 tasks in parallel and lands all of them on the integration branch', () => {
    const tracks: Record<string, Record<string, { write: Record<string, string>; expected: string[]; implementSleepMs: number }>> = {};
    for (const t of ['auth', 'ui', 'api']) {
      tracks[t] = {};
      for (const n of [1, 2]) tracks[t][`${t}-${n}`] = { write: { [`src/${t}/${n}.txt`]: `${t} ${n}\n` }, expected: [`src/${t}/${n}.txt`], implementSleepMs: 700 };
    }
    const dir = makeOrchRepo({ tracks });
    dirs.push(dir);
    const head = git(dir, ['rev-parse', 'HEAD']).trim();
    const branch = git(dir, ['branch', '--show-current']).trim();
    const start = runrIn(dir, ['orchestrate', 'run', '--config', 'tracks.yaml', '--worktree', '--json']);
    expect(start.status, start.stderr).toBe(0);
    const started = jsonOf(start);
    expect(Object.keys(started).sort()).toEqual(['orchestration_id', 'run_dir', 'status', 'tracks']);
    expect(started.status).toBe('started');
    expect(started.tracks).toEqual([
      { id: 'auth', tasks: ['.runr/tasks/auth-1.md', '.runr/tasks/auth-2.md'] },
      { id: 'ui', tasks: ['.runr/tasks/ui-1.md', '.runr/tasks/ui-2.md'] },
      { id: 'api', tasks: ['.runr/tasks/api-1.md', '.runr/tasks/api-2.md'] },
    ]);
    const id = started.orchestration_id as string;
    ids.push([dir, id]);
    const wait = runrIn(dir, ['orchestrate', 'wait', id, '--for', 'terminal', '--timeout', '180', '--json'], { timeoutMs: 200_000 });
    expect(wait.status, wait.stdout + wait.stderr).toBe(0);
    const status = jsonOf(wait);
    expect(status.status).toBe('complete');
    expect(status.landed).toBe(6);
    // `latest` is the latest orchestration, not the newest run (its task runs are newer).
    expect(jsonOf(runrIn(dir, ['orchestrate', 'status', 'latest', '--json'])).orchestration_id).toBe(id);
    for (const t of status.tracks as Json[]) {
      expect(t.state).toBe('landed');
      for (const k of t.tasks as Json[]) expect(k).toMatchObject({ state: 'landed', stop_reason: null, next_action: 'none' });
    }
    // Everything is on the integration branch; the user's branch and checkout are untouched.
    const files = filesOn(dir, status.integration_branch as string);
    for (const t of ['auth', 'ui', 'api']) for (const n of [1, 2]) expect(files).toContain(`src/${t}/${n}.txt`);
    expect(status.integration_branch).toBe(`runr/orch/${id}`);
    expect(git(dir, ['rev-parse', 'HEAD']).trim()).toBe(head);
    expect(git(dir, ['branch', '--show-current']).trim()).toBe(branch);
    expect(fs.existsSync(path.join(dir, 'src'))).toBe(false);
    // Linked both ways: the orchestration names each task run, each task run names the orchestration.
    const orch = record(dir, id);
    expect(orch.kind).toBe('orchestration');
    expect(orch.status).toBe('PASSED');
    const runs: Json[] = [];
    for (const t of orch.orchestration.tracks as Json[]) {
      for (const [i, k] of (t.tasks as Json[]).entries()) {
        const r = record(dir, k.run_id as string);
        expect(r.kind).toBe('task');
        expect(r.params).toMatchObject({ orchestration_id: id, track: t.id, task_index: i });
        expect(r.status).toBe('PASSED');
        runs.push({ ...r, track: t.id, index: i });
      }
    }
    // The second task of a track starts from the first one's last checkpoint.
    for (const t of ['auth', 'ui', 'api']) {
      const [a, b] = runs.filter((r) => r.track === t).sort((x, y) => x.index - y.index);
      expect(b?.task.info.git.base_commit).toBe(a?.checkpoints.at(-1).sha);
    }
    // Tracks overlapped in time: the three first tasks were all running at one instant.
    const firsts = runs.filter((r) => r.index === 0);
    const latestStart = Math.max(...firsts.map((r) => Date.parse(r.started_at as string)));
    const earliestEnd = Math.min(...firsts.map((r) => Date.parse(r.finished_at as string)));
    expect(latestStart).toBeLessThan(earliestEnd);
    // The manifest lists the orchestration and its 6 task runs.
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, '.runr', 'runs', 'runs_manifest.json'), 'utf8')) as Json;
    const listed = (manifest.runs as Json[]).map((e) => e.run_id as string);
    expect(listed).toContain(id);
    for (const r of runs) expect(listed).toContain(r.run_id);
    expect((manifest.runs as Json[]).find((e) => e.run_id === id)?.kind).toBe('orchestration');
    // status and report agree; report lists the landing order.
    const report = jsonOf(runrIn(dir, ['orchestrate', 'report', id, '--json']));
    expect((report.landed_tasks as Json[]).map((l) => l.order)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(report.not_landed).toEqual([]);
    const human = runrIn(dir, ['orchestrate', 'status', id]);
    expect(human.status).toBe(0);
    expect(human.stdout).toContain('6/6 tasks landed');
    // The orchestrator writes its journal in batches (events that arrive during a flush go in the
    // next append): still one event a line, seq 1..n, each line chained to the one before, and
    // each task finished and landed exactly once; task_finished says how long its hooks took.
    const lines = fs.readFileSync(path.join(dir, '.runr', 'runs', id, 'record', 'events.jsonl'), 'utf8').split('\n').filter((l) => l !== '');
    const events = lines.map((l) => JSON.parse(l) as Json);
    events.forEach((e, i) => {
      expect(e.seq).toBe(i + 1);
      expect(e.prev).toBe(i === 0 ? null : createHash('sha256').update(lines[i - 1] as string).digest('hex'));
    });
    for (const t of ['auth', 'ui', 'api']) {
      for (const i of [0, 1]) {
        const finished = events.filter((e) => e.type === 'orch.task_finished' && e.track === t && e.task_index === i);
        expect(finished).toHaveLength(1);
        expect(finished[0]?.hooks_ms).toBeGreaterThanOrEqual(0);
        expect(events.filter((e) => e.type === 'orch.landed' && e.track === t && e.task_index === i)).toHaveLength(1);
      }
    }
    expect(events.filter((e) => e.type === 'orch.checkpoint')).toHaveLength(6);
    expect(events.at(-1)?.type).toBe('orch.completed');
    // The detached orchestrator itself got to its end (with the experimental git thread one was seen
    // to exit early with code 0): its log says so. Polled: it may still be releasing its lock.
    const log = path.join(dir, '.runr', 'runs', id, 'logs', 'orchestrator.log');
    const until = Date.now() + 60_000;
    while (!fs.readFileSync(log, 'utf8').includes('orchestrator done: complete') && Date.now() < until) spawnSync('sleep', ['0.2']);
    expect(fs.readFileSync(log, 'utf8')).toContain('orchestrator done: complete');
  });

  it('--foreground --json drives the orchestration to its end in the calling process and prints the outcome', () => {
    const dir = makeOrchRepo({ tracks: { a: { a1: { write: { 'src/a.txt': 'a\n' } } }, b: { b1: { write: { 'src/b.txt': 'b\n' } } } } });
    dirs.push(dir);
    const r = runrIn(dir, ['orchestrate', 'run', '--config', 'tracks.yaml', '--worktree', '--foreground', '--json'], { timeoutMs: 200_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = jsonOf(r);
    expect(out).toMatchObject({ status: 'complete', landed: 2, tasks_total: 2 });
    ids.push([dir, out.orchestration_id as string]);
    expect(filesOn(dir, out.integration_branch as string)).toEqual(expect.arrayContaining(['src/a.txt', 'src/b.txt']));
  });

  it('--max-parallel 1 runs the tracks one at a time', () => {
    const dir = makeOrchRepo({ tracks: { a: { a1: { write: { 'src/a.txt': 'a\n' } } }, b: { b1: { write: { 'src/b.txt': 'b\n' } } } } });
    dirs.push(dir);
    const r = orchestrate(dir, ['--max-parallel', '1']);
    ids.push([dir, r.id]);
    expect(r.wait.status).toBe(0);
    const orch = record(dir, r.id);
    const [a, b] = (orch.orchestration.tracks as Json[]).map((t) => record(dir, t.tasks[0].run_id as string));
    expect(Date.parse(b?.started_at as string)).toBeGreaterThanOrEqual(Date.parse(a?.finished_at as string));
  });
});
