/**
 * Issue 15, item 6: kill -9 of `run --task` in its first milliseconds. Whatever the instant, the run
 * either does not exist (no record) or has everything `resume` needs: `status` says it is
 * resumable (never a QUEUED run without a task), and `resume` takes it to completion.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runrBin } from '../helpers/cli.js';
import type { Json } from '../tasks/helpers.js';
import { json, makeTaskRepo, removeRepo, runrIn } from '../tasks/helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeRepo(d);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Start `run --task`, wait until its run directory appears, wait `afterMs` more, then SIGKILL it. */
async function killEarly(dir: string, afterMs: number): Promise<void> {
  const child = spawn(process.execPath, [runrBin, 'run', '--task', '.runr/tasks/task.md', '--worktree', '--json', '--foreground'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, stdio: 'ignore' });
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  const runs = path.join(dir, '.runr', 'runs');
  const deadline = Date.now() + 60_000;
  let seen = false;
  while (!seen && Date.now() < deadline && child.exitCode === null) {
    seen = fs.existsSync(runs) && fs.readdirSync(runs).some((n) => n.startsWith('run_'));
    if (!seen) await sleep(1);
  }
  if (afterMs > 0) await sleep(afterMs);
  child.kill('SIGKILL');
  await exited;
}

describe('item 6: kill -9 in the first milliseconds of run --task', () => {
  it('leaves no record or a resumable one, at every offset', async () => {
    const offsets = [0, 1, 2, 3, 5, 8, 12, 16, 20, 25, 35, 50, 80, 120];
    const seenStates = new Set<string>();
    for (const ms of offsets) {
      const dir = makeTaskRepo();
      dirs.push(dir);
      await killEarly(dir, ms);
      const runs = path.join(dir, '.runr', 'runs');
      const ids = fs.existsSync(runs) ? fs.readdirSync(runs).filter((n) => n.startsWith('run_')) : [];
      expect(ids.length, `offset ${ms}`).toBeLessThanOrEqual(1);
      const id = ids[0];
      if (id === undefined) {
        seenStates.add('none');
        continue;
      }
      const record = path.join(runs, id, 'record');
      if (!fs.existsSync(path.join(record, 'events.jsonl')) && !fs.existsSync(path.join(record, 'RUN.json'))) {
        // Killed between the directory and the first write: there is no run to resume.
        seenStates.add('no record');
        continue;
      }
      const st = runrIn(dir, ['status', id]);
      expect(st.status, `offset ${ms}: ${st.stderr}`).toBe(0);
      const view = json<Json>(st);
      seenStates.add(`${view.status}/${view.stop_reason}`);
      expect(view.status, `offset ${ms}`).not.toBe('QUEUED');
      if (view.stop_reason === 'complete') continue;
      expect(view, `offset ${ms}`).toMatchObject({ resumable: true, task: '.runr/tasks/task.md' });
      const r = runrIn(dir, ['resume', id]);
      expect(r.status, `offset ${ms}: resume: ${r.stderr}`).toBe(0);
      expect(json<Json>(runrIn(dir, ['status', id])).stop_reason, `offset ${ms}`).toBe('complete');
    }
    // At least one kill landed after the first write (otherwise the test proved nothing).
    expect([...seenStates].some((s) => s.startsWith('STOPPED/')), [...seenStates].join(', ')).toBe(true);
  }, 600_000);
});
