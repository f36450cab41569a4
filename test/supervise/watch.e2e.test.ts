/**
 * `runr watch` (the operator guide's scenarios 1 and 3): auto-resume after failed verification
 * (resuming the dirty worktree it leaves), giving up, surfacing a guard violation, and resuming a
 * run whose supervisor was killed with -9.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Json } from './helpers.js';
import { baseConfig, cleanup, json, jsonLines, makeTaskRepo, pidAlive, readRecord, runrIn, track, TWO_MILESTONES, waitFor } from './helpers.js';

afterEach(cleanup);

const config = baseConfig({ verification: { tier0: ['! grep -q broken src/greet.ts'] }, limits: { max_verify_retries: 2 } });
const broken = { write: { 'src/greet.ts': '// broken\n' } };
const fixed = { write: { 'src/greet.ts': 'export const g = 1;\n' } };
const script = (m1: object[]) => ({ ...TWO_MILESTONES, milestones: { ...TWO_MILESTONES.milestones, m1: { implement: m1 } } });
const events = (stdout: string) => jsonLines(stdout).map((e) => e.event);

function start(dir: string): string {
  return json<Json>(runrIn(dir, ['run', '--task', '.runr/tasks/task.md', '--worktree', '--json'])).run_id as string;
}

describe('runr watch', () => {
  it('scenario 1: fails verification twice, watch --auto-resume resumes the dirty worktree and the run completes (exit 0)', () => {
    const dir = track(makeTaskRepo({ config, script: script([broken, broken, fixed]) }));
    const id = start(dir);
    const w = runrIn(dir, ['watch', id, '--auto-resume', '--max-attempts', '3', '--cooldown', '0', '--json']);
    expect(w.status, w.stdout + w.stderr).toBe(0);
    const evs = jsonLines(w.stdout);
    const names = evs.map((e) => e.event);
    expect(names).toContain('failed');
    expect(names.slice(names.indexOf('failed'))).toEqual(expect.arrayContaining(['failed', 'resumed', 'succeeded']));
    expect(names.at(-1)).toBe('succeeded');
    expect(evs.find((e) => e.event === 'failed')).toMatchObject({ stop_reason: 'verification_failed_max_retries', run_id: id });
    expect(evs.find((e) => e.event === 'resumed')).toMatchObject({ attempt: 1 });
    expect(evs.at(-1)).toMatchObject({ event: 'succeeded', milestones_completed: 2, run_id: id, ts: expect.any(String) });
    for (const e of evs.filter((x) => x.event === 'watching')) expect(Object.keys(e).sort()).toEqual(['elapsed_s', 'event', 'phase', 'run_id', 'ts']);
  });

  it('--max-attempts 1 on a task that never passes: failed → resumed → failed → gave_up, exit 3', () => {
    const dir = track(makeTaskRepo({ config, script: script([broken]) }));
    const id = start(dir);
    const w = runrIn(dir, ['watch', id, '--auto-resume', '--max-attempts', '1', '--cooldown', '0', '--json']);
    expect(w.status).toBe(3);
    const names = events(w.stdout).filter((e) => e !== 'watching');
    expect(names).toEqual(['failed', 'resumed', 'failed', 'gave_up']);
    expect(jsonLines(w.stdout).at(-1)).toMatchObject({ event: 'gave_up', stop_reason: 'verification_failed_max_retries', attempts: 1 });
  });

  it('a guard violation is surfaced with its files, never resumed (exit 3)', () => {
    const dir = track(makeTaskRepo({ script: script([{ write: { 'src/greet.ts': 'x\n', 'secrets/key.txt': 'k\n' } }]) }));
    const id = start(dir);
    const w = runrIn(dir, ['watch', id, '--auto-resume', '--cooldown', '0', '--json']);
    expect(w.status).toBe(3);
    expect(events(w.stdout)).not.toContain('resumed');
    expect(jsonLines(w.stdout).at(-1)).toMatchObject({ event: 'surfaced', stop_reason: 'guard_violation', files: ['secrets/key.txt'], next_action: 'resolve_scope_violation' });
  });

  it('kill -9 of the detached supervisor: watch --auto-resume sees interrupted and resumes it to completion', async () => {
    // The worker is busy until \`go\` exists (created once the supervisor is dead), so the kill lands in IMPLEMENT however loaded the machine.
    const go = path.join(track(fs.mkdtempSync(path.join(os.tmpdir(), 'runr-go-'))), 'go');
    const dir = track(makeTaskRepo({ script: script([{ sleep_ms: 600_000, until_exists: go, ...fixed }]) }));
    const id = start(dir);
    await waitFor('IMPLEMENT', () => readRecord(dir, id).phase === 'IMPLEMENT');
    const pid = (JSON.parse(fs.readFileSync(path.join(dir, '.runr', 'runs', id, 'logs', 'run.lock'), 'utf8')) as { pid: number }).pid;
    process.kill(pid, 'SIGKILL');
    await waitFor('the supervisor to die', () => !pidAlive(pid));
    fs.writeFileSync(go, '');
    const w = runrIn(dir, ['watch', id, '--auto-resume', '--cooldown', '0', '--json']);
    expect(w.status, w.stdout + w.stderr).toBe(0);
    const evs = jsonLines(w.stdout);
    expect(evs.find((e) => e.event === 'failed')).toMatchObject({ stop_reason: 'interrupted' });
    expect(evs.at(-1)).toMatchObject({ event: 'succeeded', milestones_completed: 2 });
  });
});
