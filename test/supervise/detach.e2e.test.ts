/**
 * Detached runs: `run --task … --json` returns once the run exists while a supervisor in its own
 * session runs it (logs in logs/, the same lock); the shell that started it can die; `resume`
 * detaches the same way; a supervisor killed with -9 shows as interrupted.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Json } from './helpers.js';
import { baseConfig, cleanup, json, makeTaskRepo, pidAlive, readRecord, runrIn, sleep, track, trackPid, TWO_MILESTONES, waitFor } from './helpers.js';
import { runrBin } from '../helpers/cli.js';

afterEach(cleanup);

const SLOW = { ...TWO_MILESTONES, milestones: { ...TWO_MILESTONES.milestones, m1: { implement: [{ sleep_ms: 3000, write: { 'src/greet.ts': 'export const g = 1;\n' } }] } } };
/** m1's worker is busy until the test creates `go` (outside the repository): the run is live when the test looks, however loaded the machine. */
const slowUntil = (go: string) => ({ ...TWO_MILESTONES, milestones: { ...TWO_MILESTONES.milestones, m1: { implement: [{ sleep_ms: 600_000, until_exists: go, write: { 'src/greet.ts': 'export const g = 1;\n' } }] } } });
const goFile = (): string => path.join(track(fs.mkdtempSync(path.join(os.tmpdir(), 'runr-go-'))), 'go');

function lockPid(dir: string, id: string): number {
  return (JSON.parse(fs.readFileSync(path.join(dir, '.runr', 'runs', id, 'logs', 'run.lock'), 'utf8')) as { pid: number }).pid;
}

/** Fields 5 and 6 of /proc/<pid>/stat: process group and session. */
function groupAndSession(pid: number): { pgrp: number; session: number } {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { pgrp: Number(rest[2]), session: Number(rest[3]) };
}

describe('detached runs', () => {
  it('run --task --worktree --json: one JSON object on stdout, the run goes on in its own session and completes', async () => {
    const go = goFile();
    const dir = track(makeTaskRepo({ script: slowUntil(go) }));
    const t0 = Date.now();
    const r = runrIn(dir, ['run', '--task', '.runr/tasks/task.md', '--worktree', '--json']);
    const tookMs = Date.now() - t0;
    expect(r.status, r.stderr).toBe(0);
    // The issue asks for < 1 s; on this shared 2-core machine the bound is lenient (15 s) and the
    // real figure is measured in bench/supervise.bench.mjs. The proof that it did not wait for the
    // run is below: the run is still RUNNING when the command has returned.
    expect(tookMs).toBeLessThan(15_000);
    expect(r.stdout.trim().split('\n').length).toBeGreaterThan(0);
    const out = json<Json>(r);
    expect(Object.keys(out).sort()).toEqual(['repo_root', 'run_dir', 'run_id', 'status']);
    expect(out).toMatchObject({ status: 'started', repo_root: dir, run_dir: path.join(dir, '.runr', 'runs', out.run_id) });
    const id = out.run_id as string;
    // Returned while the run is still working (m1's worker waits for \`go\`).
    expect(json<Json>(runrIn(dir, ['status', id]))).toMatchObject({ status: 'RUNNING', alive: true });
    const pid = lockPid(dir, id);
    trackPid(pid);
    expect(groupAndSession(pid)).toEqual({ pgrp: pid, session: pid });
    const log = path.join(dir, '.runr', 'runs', id, 'logs', 'supervisor-1.log');
    expect(fs.existsSync(log)).toBe(true);
    expect(fs.readdirSync(path.join(dir, '.runr', 'runs', '.supervisors'))).toEqual([]);
    fs.writeFileSync(go, '');
    const w = runrIn(dir, ['wait', id, '--for', 'complete', '--json']);
    expect(w.status).toBe(0);
    expect(json(w)).toMatchObject({ stop_reason: 'complete', milestones_completed: 2 });
    await waitFor('the supervisor to exit', () => !pidAlive(pid));
    expect(fs.readFileSync(log, 'utf8')).toMatch(new RegExp(`Run ${id} complete: 2/2 milestones`));
  });

  it('the shell that started the run can be killed (its whole process group): the run completes', async () => {
    const dir = track(makeTaskRepo({ script: SLOW }));
    const shell = spawn('sh', ['-c', `"${process.execPath}" "${runrBin}" run --task .runr/tasks/task.md --worktree --json; sleep 60`], { cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    trackPid(shell.pid!);
    let stdout = '';
    shell.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const id = await waitFor('the run id', () => (stdout.includes('}') ? (JSON.parse(stdout) as { run_id: string }).run_id : undefined));
    process.kill(-shell.pid!, 'SIGKILL');
    expect(json<Json>(runrIn(dir, ['wait', id, '--for', 'terminal', '--json']))).toMatchObject({ stop_reason: 'complete' });
  });

  it('--detach without --json says where the run went; bad input is reported as in the foreground (exit 2, nothing started)', () => {
    const dir = track(makeTaskRepo());
    const h = runrIn(dir, ['run', '--task', '.runr/tasks/task.md', '--worktree', '--detach']);
    expect(h.status, h.stderr).toBe(0);
    expect(h.stdout).toMatch(/^Started run run_\S+ in the background \(supervisor pid \d+, log \.runr\/runs\/run_\S+\/logs\/supervisor-1\.log\)/);
    const bad = runrIn(dir, ['run', '--task', 'nope.md', '--worktree', '--json']);
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/error: --task: nope.md: file not found/);
    expect(fs.readdirSync(path.join(dir, '.runr', 'runs', '.supervisors'))).toEqual([]);
    const both = runrIn(dir, ['run', '--task', '.runr/tasks/task.md', '--detach', '--foreground']);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/--detach and --foreground/);
  });

  it('resume --json detaches the same way; a live run is refused (exit 1)', () => {
    const config = baseConfig({ verification: { tier0: ['! grep -q broken src/greet.ts'] }, limits: { max_verify_retries: 2 } });
    const broken = { write: { 'src/greet.ts': '// broken\n' } };
    // Session 1: two broken attempts. Session 2 re-verifies (fails), then attempt 3 takes 2 s and passes.
    const script = { ...TWO_MILESTONES, milestones: { ...TWO_MILESTONES.milestones, m1: { implement: [broken, broken, { sleep_ms: 2000, write: { 'src/greet.ts': 'export const g = 1;\n' } }] } } };
    const dir = track(makeTaskRepo({ config, script }));
    const id = json<Json>(runrIn(dir, ['run', '--task', '.runr/tasks/task.md', '--worktree', '--json'])).run_id as string;
    expect(runrIn(dir, ['wait', id, '--for', 'terminal']).status).toBe(3);
    const r = runrIn(dir, ['resume', id, '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(json(r)).toEqual({ run_id: id, run_dir: path.join(dir, '.runr', 'runs', id), repo_root: dir, status: 'resumed' });
    const again = runrIn(dir, ['resume', id, '--json']);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/still running/);
    expect(runrIn(dir, ['wait', id, '--for', 'complete']).status).toBe(0);
    expect(fs.existsSync(path.join(dir, '.runr', 'runs', id, 'logs', 'supervisor-2.log'))).toBe(true);
  });

  it('a supervisor killed with -9 shows as stopped with interrupted (resumable)', async () => {
    const dir = track(makeTaskRepo({ script: slowUntil(goFile()) }));
    const id = json<Json>(runrIn(dir, ['run', '--task', '.runr/tasks/task.md', '--worktree', '--json'])).run_id as string;
    await waitFor('IMPLEMENT', () => readRecord(dir, id).phase === 'IMPLEMENT');
    const pid = lockPid(dir, id);
    process.kill(pid, 'SIGKILL');
    await waitFor('the supervisor to die', () => !pidAlive(pid));
    await sleep(10);
    const w = runrIn(dir, ['wait', id, '--for', 'terminal', '--json']);
    expect(w.status).toBe(3);
    expect(json(w)).toMatchObject({ phase: 'STOPPED', stop_reason: 'interrupted' });
    expect(json<Json>(runrIn(dir, ['status', id]))).toMatchObject({ stop_reason: 'interrupted', resumable: true, alive: false });
  });
});
