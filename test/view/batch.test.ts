/**
 * Studies batches on the page: `runr batch report … --html` writes the page scoped to the batch
 * (the gate matrix, each metric by sweep axis with its 95% interval, the paired comparison with
 * the baseline), and `runr view` lists every batch. Checked in headless Chromium against the
 * JSON `runr batch report --json` prints for the same batch.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { STUDY, makeStudy, newBatch, removeRepo, st, stJson } from '../studies/helpers.js';
import type { Session } from './browser.js';
import { browserMissing, openSession } from './browser.js';
import { pageData } from './page-data.js';
import { repoRoot } from '../helpers/cli.js';

vi.setConfig({ testTimeout: 240_000, hookTimeout: 300_000 });

const missing = browserMissing();
if (missing !== null) console.warn(missing);

interface Report {
  batch_id: string;
  stages: string[];
  metrics: Array<{ name: string }>;
  variants: Array<{ id: string; run_id: string | null; stages: Record<string, string> }>;
  segments: Array<{ axis: string; rows: Array<{ value: string }> }>;
  comparison: { baseline_batch: string; arms: Array<{ arm: string; metrics: Record<string, { verdict: string }> }> } | null;
}

describe('studies batches on the page', () => {
  let dir = '';
  let base = '';
  let sweep = '';
  let report: Report;
  let session: Session | undefined;

  beforeAll(async () => {
    dir = makeStudy();
    base = newBatch(dir, ['--seeds', '42,43']);
    sweep = newBatch(dir, ['--seeds', '42,43', '--sweep', 'threshold=5'], 'threshold-sweep');
    expect(st(['batch', 'run', STUDY, base, '--jobs', '2'], dir).status).toBe(0);
    expect(st(['batch', 'run', STUDY, sweep, '--jobs', '2'], dir).status).toBe(0);
    expect(st(['batch', 'report', STUDY, base], dir).status).toBe(0);
    expect(st(['batch', 'promote', STUDY, base], dir).status).toBe(0);
    const r = stJson<Report>(['batch', 'report', STUDY, sweep, '--baseline', 'latest'], dir);
    expect(r.status, r.stderr).toBe(0);
    report = r.json;
    if (missing === null) session = await openSession();
  });

  afterAll(async () => {
    await session?.close();
    removeRepo(dir);
  });

  it('batch report --html writes the page of the batch: its report data and the runs of its variants', () => {
    const r = st(['batch', 'report', STUDY, sweep, '--baseline', 'latest', '--html', 'out/batch.html'], dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^wrote out\/batch\.html \(\d+\.\d KB\)$/m);
    const data = pageData(path.join(dir, 'out', 'batch.html'));
    expect(data.scope.kind).toBe('batch');
    expect(data.batches).toHaveLength(1);
    const b = data.batches[0];
    expect(b.batch_id).toBe(sweep);
    expect(b.comparison.baseline_batch).toBe(base);
    expect(b.report_href).toBe(`../runs/${STUDY}/batches/${sweep}/report.md`);
    const variantRuns = report.variants.map((v) => v.run_id).filter((id) => id !== null);
    expect(variantRuns.length).toBe(report.variants.length);
    expect(data.runs.map((e: { run_id: string }) => e.run_id).sort()).toEqual([...variantRuns].sort());
  });

  it.skipIf(missing !== null)('shows the gate matrix, the metrics with error bars and the paired comparison', async () => {
    const page = session?.page;
    if (page === undefined) throw new Error('no browser session');
    await page.goto(pathToFileURL(path.join(dir, 'out', 'batch.html')).href);
    const rows = page.locator('table.matrix tbody tr');
    await expect.poll(() => rows.count()).toBe(report.variants.length);
    for (const v of report.variants) {
      const cells = await page.locator(`table.matrix tbody tr[data-variant="${v.id}"] td.cell`).evaluateAll((tds) => tds.map((td) => [td.getAttribute('data-stage'), td.getAttribute('data-cell')]));
      expect(Object.fromEntries(cells)).toEqual(v.stages);
    }
    // One chart per sweep axis and metric, each drawn (a canvas), and the numbers beside them.
    const want = report.segments.length * report.metrics.length;
    expect(want).toBeGreaterThan(0);
    await expect.poll(() => page.locator('.chart.errorbars canvas').count()).toBe(want);
    const axis = report.segments[0];
    expect(await page.locator(`.segment[data-axis="${axis?.axis}"] + table.segment-table tbody tr`).count()).toBe(axis?.rows.length);
    // The paired comparison: each configuration's verdict per metric, as the report computed it.
    expect(await page.locator('#comparison').textContent()).toContain(base);
    for (const a of report.comparison?.arms ?? []) {
      for (const [metric, p] of Object.entries(a.metrics)) {
        expect(await page.locator(`.comparison-table tr[data-arm="${a.arm}"][data-metric="${metric}"] .badge`).textContent()).toBe(p.verdict);
      }
    }
    const shot = process.env.RUNR_UPDATE_SCREENSHOTS === '1' ? path.join(repoRoot, 'docs', 'view-batch.png') : path.join(os.tmpdir(), 'runr-view-batch.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(fs.statSync(shot).size).toBeGreaterThan(10_000);
    // The variants' runs are one click away, with their details.
    await page.locator('#variant-runs').click();
    await expect.poll(() => page.locator('#runs-table tbody tr').count()).toBe(report.variants.length);
    expect(session?.blocked).toEqual([]);
    expect(session?.errors).toEqual([]);
  });

  it.skipIf(missing !== null)('runr view lists every batch of the study, each opening on its matrix', async () => {
    const page = session?.page;
    if (page === undefined) throw new Error('no browser session');
    const v = stJson<{ file: string }>(['view'], dir);
    expect(v.status, v.stderr).toBe(0);
    const data = pageData(path.join(dir, v.json.file));
    expect(data.batches.map((b: { batch_id: string }) => b.batch_id).sort()).toEqual([base, sweep].sort());
    await page.goto(pathToFileURL(path.join(dir, v.json.file)).href);
    await expect.poll(() => page.locator('#studies table.batches tbody tr').count()).toBe(2);
    await page.locator(`a.batch-link:text-is("${sweep}")`).click();
    await expect.poll(() => page.locator('table.matrix tbody tr').count()).toBe(report.variants.length);
    expect(session?.blocked).toEqual([]);
    expect(session?.errors).toEqual([]);
  });
});
