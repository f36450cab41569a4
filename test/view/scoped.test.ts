/** `runr report <id> --html` and `runr ops … --html`: the page scoped to what the command reports. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeRepo, runr } from '../helpers/cli.js';
import { copyRuntime, harness } from '../ops/helpers.js';
import { browserMissing, openSession } from './browser.js';
import { pageData } from './page-data.js';
import { phaseEventCount, taskRepo } from './store.js';

const missing = browserMissing();
let taskDir: string;
let taskRun: string;
let opsDir: string;

beforeAll(() => {
  taskDir = taskRepo();
  const t = runr(['run', '--task', '.runr/tasks/task.md', '--worktree', '--json', '--foreground'], { cwd: taskDir });
  expect(t.status).toBe(0);
  taskRun = (JSON.parse(t.stdout) as { run_id: string }).run_id;
  opsDir = copyRuntime(path.join(harness, 'runtime-valid'));
  spawnSync('git', ['init', '-q', opsDir]);
}, 120_000);
afterAll(() => {
  removeRepo(taskDir);
  removeRepo(opsDir);
});

describe('report --html', () => {
  it('writes the one run; --json stdout stays the report', () => {
    const r = runr(['report', taskRun, '--html', 'report.html', '--json'], { cwd: taskDir });
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { run_id: string }).run_id).toBe(taskRun);
    expect(r.stderr).toMatch(/^wrote report\.html \(\d+\.\d KB\)$/m);
    const data = pageData(path.join(taskDir, 'report.html'));
    expect(data.scope).toEqual({ kind: 'run', where: null, run_id: taskRun });
    expect(data.runs.map((e: { run_id: string }) => e.run_id)).toEqual([taskRun]);
    expect(data.details[taskRun].bars).toHaveLength(phaseEventCount(taskDir, taskRun));
  });
});

describe('ops --html', () => {
  it('holds every check with its detail and the compaction metrics of each run', () => {
    const r = runr(['ops', '--runtime-dir', 'runtime', '--preset', 'phase4b', '--html', 'ops.html'], { cwd: opsDir });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^wrote ops\.html \(\d+\.\d KB\)$/m);
    const data = pageData(path.join(opsDir, 'ops.html'));
    expect(data.scope.kind).toBe('ops');
    const [id] = Object.keys(data.details);
    const d = data.details[id ?? ''];
    expect(d.kind).toBe('ops');
    expect(d.candidates).toHaveLength(2);
    for (const c of d.candidates) {
      expect(c.verifier_pass).toBe(true);
      expect(c.checks.map((x: { name: string }) => x.name)).toEqual(expect.arrayContaining(['schema_version_valid', 'execution_log_hash', 'no_tmp_remains']));
      expect(c.checks.every((x: { pass: boolean }) => x.pass)).toBe(true);
      expect(Object.keys(c.compaction)).toEqual(['compaction_applied_count', 'compaction_rate', 'dropped_action_count', 'compaction_token_savings_est']);
    }
    expect(d.report.href).toMatch(/^runtime\/benchmarks\/reports\//);
    // The invocation's record keeps the compaction metrics too, so `runr view` charts them later.
    const all = runr(['view', '--json'], { cwd: opsDir });
    expect(all.status).toBe(0);
    const store = pageData(path.join(opsDir, '.runr', 'view.html'));
    const rec = Object.values(store.details)[0] as { candidates: Array<{ compaction: unknown; checks: Array<{ pass: boolean | null }> }> };
    expect(rec.candidates.every((c) => c.compaction !== null && c.checks.every((x) => x.pass === true))).toBe(true);
  });
});

describe.skipIf(missing !== null)('scoped pages in Chromium', () => {
  it('report --html opens on the run; ops --html draws the lifecycle, the checks and the compaction charts', async () => {
    const session = await openSession();
    try {
      const { page } = session;
      await page.goto(pathToFileURL(path.join(taskDir, 'report.html')).href);
      await expect.poll(() => page.locator('#timeline .bar').count()).toBe(phaseEventCount(taskDir, taskRun));
      if (!fs.existsSync(path.join(opsDir, 'ops.html'))) runr(['ops', '--runtime-dir', 'runtime', '--preset', 'phase4b', '--html', 'ops.html'], { cwd: opsDir });
      await page.goto(pathToFileURL(path.join(opsDir, 'ops.html')).href);
      await expect.poll(() => page.locator('table.lifecycle tbody tr').count()).toBe(2);
      expect(await page.locator('table.checks .check-pass').count()).toBeGreaterThanOrEqual(12);
      await expect.poll(() => page.locator('#compaction-charts canvas').count()).toBeGreaterThanOrEqual(4);
      expect(session.blocked).toEqual([]);
      expect(session.errors).toEqual([]);
    } finally {
      await session.close();
    }
  });
});
