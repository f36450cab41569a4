/**
 * The page in a real browser (headless Chromium): what a person sees in it. The file is opened
 * from file://; any other request fails the test, and so does any console error.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeRepo, repoRoot, runr, runrJson } from '../helpers/cli.js';
import type { Session } from './browser.js';
import { browserMissing, openSession } from './browser.js';
import type { GeneratedStore } from './store.js';
import { generateStore, LATE_SECRET, phaseEventCount } from './store.js';

const missing = browserMissing();
if (missing !== null) console.warn(missing);

describe.skipIf(missing !== null)('the page in Chromium', () => {
  let store: GeneratedStore;
  let session: Session;
  let url: string;

  beforeAll(async () => {
    store = generateStore();
    // As a user would: the value of a secret in the environment is redacted from the page (and so
    // from the screenshot in docs/view.png).
    expect(runr(['view'], { cwd: store.dir, env: { VIEW_TEST_API_KEY: LATE_SECRET } }).status).toBe(0);
    url = pathToFileURL(path.join(store.dir, '.runr', 'view.html')).href;
    session = await openSession();
  }, 180_000);

  afterAll(async () => {
    await session?.close();
    if (store !== undefined) removeRepo(store.dir);
  });

  it('lists every run of the store with its status', async () => {
    const { page } = session;
    await page.goto(url);
    const rows = page.locator('#runs-table tbody tr');
    await expect.poll(() => rows.count()).toBe(6);
    const seen: Record<string, string> = {};
    for (const row of await rows.all()) {
      const id = (await row.locator('a.run-link').textContent()) ?? '';
      seen[id] = ((await row.locator('.badge').first().textContent()) ?? '').trim();
    }
    const expected: Record<string, string> = Object.fromEntries(store.workflowRuns.map((w) => [w.run_id, w.status]));
    expected[store.taskRun] = 'PASSED';
    expect(seen).toEqual(expected);
    expect(await page.locator('#run-count').textContent()).toBe('6 of 6 runs');
    expect(await page.locator('#runs-chart canvas').count()).toBeGreaterThan(0);
  });

  it('a filter typed into the page leaves the rows runr find returns', async () => {
    const { page } = session;
    const expr = "status = 'FAILED' or params.seed in (1, 2)";
    await page.goto(url);
    await page.locator('#filter').fill(expr);
    await page.locator('#filter').press('Enter');
    const find = runrJson<{ runs: Array<{ run_id: string }> }>(['find', expr], { cwd: store.dir });
    const want = find.json.runs.map((r) => r.run_id).sort();
    expect(want.length).toBe(3);
    await expect.poll(() => page.locator('#runs-table tbody tr').count()).toBe(want.length);
    const got = await page.locator('#runs-table tbody tr').evaluateAll((trs) => trs.map((t) => t.getAttribute('data-run-id') ?? ''));
    expect(got.sort()).toEqual(want);
    // A query error is shown as runr find prints it (with its caret), and leaves no row.
    const bad = runr(['find', 'status ='], { cwd: store.dir });
    expect(bad.status).toBe(2);
    await page.locator('#filter').fill('status =');
    await page.locator('#filter').press('Enter');
    await expect.poll(() => page.locator('#filter-error pre').textContent()).toBe(bad.stderr.replace(/^error: /, '').trimEnd());
    expect(await page.locator('#runs-table tbody tr').count()).toBe(0);
  });

  it('sorting by a column reorders the rows', async () => {
    const { page } = session;
    await page.goto(url);
    await page.locator('th[data-key="status"]').click();
    const statuses = await page.locator('#runs-table tbody tr').evaluateAll((trs) => trs.map((t) => t.getAttribute('data-status') ?? ''));
    expect(statuses).toEqual([...statuses].sort());
  });

  it("a workflow run's failed attempt shows its failure reason", async () => {
    const { page } = session;
    const run1 = store.workflowRuns[0]?.run_id ?? '';
    await page.goto(url);
    await page.locator(`a.run-link:text-is("${run1}")`).click();
    const failed = page.locator('.gate[data-gate="G1"] .attempt[data-attempt="1"]');
    await expect.poll(() => failed.locator('.failure-reason').first().textContent()).toMatch(/^None of required files exist: /);
    expect(await failed.locator('.badge').first().textContent()).toBe('FAIL');
    expect(await page.locator('.gate[data-gate="G1"] .attempt[data-attempt="2"] .badge').first().textContent()).toBe('PASS');
    expect(await page.locator('#audit').textContent()).toContain('hash chain intact');
  });

  it("a task run's timeline has one bar per phase", async () => {
    const { page } = session;
    await page.goto(`${url}#/run/${store.taskRun}`);
    const bars = page.locator('#timeline .bar');
    const want = phaseEventCount(store.dir, store.taskRun);
    await expect.poll(() => bars.count()).toBe(want);
    const phases = await bars.evaluateAll((els) => els.map((e) => e.getAttribute('data-phase')));
    expect(new Set(phases)).toEqual(new Set(['PLAN', 'IMPLEMENT', 'VERIFY', 'REVIEW', 'CHECKPOINT']));
    expect(await page.locator('#timeline .lane').evaluateAll((els) => els.map((e) => e.getAttribute('data-lane')))).toEqual(['plan', 'm1', 'm2']);
    expect(await page.locator('#stop').textContent()).toContain('complete');
    const shot = path.join(os.tmpdir(), 'runr-view-task.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(fs.statSync(shot).size).toBeGreaterThan(10_000);
  });

  it('saves a screenshot of the runs (for docs/view.md) and loaded nothing but the file', async () => {
    const { page } = session;
    await page.goto(url);
    await expect.poll(() => page.locator('#runs-table tbody tr').count()).toBe(6);
    const shot = process.env.RUNR_UPDATE_SCREENSHOTS === '1' ? path.join(repoRoot, 'docs', 'view.png') : path.join(os.tmpdir(), 'runr-view.png');
    await page.screenshot({ path: shot });
    expect(fs.statSync(shot).size).toBeGreaterThan(10_000);
    expect(await page.locator('body').innerText()).not.toContain(LATE_SECRET);
    expect(session.blocked).toEqual([]);
    expect(session.errors).toEqual([]);
  });
});
