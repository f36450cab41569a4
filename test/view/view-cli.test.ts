/** `runr view` as users run it: the file it writes, what the page holds and what it never holds. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ViewData } from '../../src/core/view/model.js';
import { loadPageAssets, renderPage } from '../../src/view/page.js';
import { makeRepo, removeRepo, repoRoot, runr, runrJson } from '../helpers/cli.js';
import { csp, pageData, pageText } from './page-data.js';
import { scaled } from './scale-data.js';
import type { GeneratedStore } from './store.js';
import { generateStore, LATE_SECRET, NASTY } from './store.js';

let store: GeneratedStore;
beforeAll(() => {
  store = generateStore();
}, 180_000);
afterAll(() => removeRepo(store.dir));

describe('runr view', () => {
  it('writes .runr/view.html with every run of the manifest and a detail for each', () => {
    const r = runrJson<{ file: string; runs: number; total_runs: number; details: number; bytes: number }>(['view'], { cwd: store.dir });
    expect(r.status).toBe(0);
    expect(r.json.file).toBe('.runr/view.html');
    expect(r.json).toMatchObject({ runs: 6, total_runs: 6, details: 6 });
    const file = path.join(store.dir, '.runr', 'view.html');
    expect(fs.statSync(file).size).toBe(r.json.bytes);
    const data = pageData(file);
    expect(data.runs.map((e: { run_id: string }) => e.run_id).sort()).toEqual([...store.workflowRuns.map((w) => w.run_id), store.taskRun].sort());
    // The header is in the HTML before the data and the code: the first paint does not wait for them.
    const html = fs.readFileSync(file, 'utf8');
    const header = html.indexOf('<header class="top">');
    expect(header).toBeGreaterThan(-1);
    expect(header).toBeLessThan(html.indexOf('id="runr-data"'));
    expect(html.slice(header, html.indexOf('</header>'))).toContain('6 of 6 runs · generated ');
    const human = runr(['view'], { cwd: store.dir });
    expect(human.stdout).toMatch(/^wrote \.runr\/view\.html \(\d+\.\d KB, 6 of 6 runs\)$/m);
  });

  it('embeds data that cannot end its element, and reads back exactly', () => {
    runr(['view', '--out', 'out/page.html'], { cwd: store.dir });
    const html = fs.readFileSync(path.join(store.dir, 'out', 'page.html'), 'utf8');
    expect(html).not.toContain('<script>window.__pwned');
    expect(html.match(/<\/script>/g)?.length).toBe(3); // the two data elements and the code element, nothing else
    const data = pageData(path.join(store.dir, 'out', 'page.html'));
    const first = data.runs.find((e: { run_id: string }) => e.run_id === store.workflowRuns[0]?.run_id);
    expect(first.params.note).toBe(NASTY);
  });

  it('forbids every load with a Content-Security-Policy and allows its own code by hash only', () => {
    const html = fs.readFileSync(path.join(store.dir, '.runr', 'view.html'), 'utf8');
    const policy = csp(html);
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("connect-src 'none'");
    expect(policy).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(policy).not.toContain('unsafe-inline');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|@import|url\(http/i);
  });

  it('holds no absolute path of this machine and redacts secrets of the environment it runs in', () => {
    const r = runr(['view', '--out', 'redacted.html'], { cwd: store.dir, env: { VIEW_TEST_API_KEY: LATE_SECRET } });
    expect(r.status).toBe(0);
    // The data is compressed in the file: look into it as the page reads it.
    const html = pageText(path.join(store.dir, 'redacted.html'));
    expect(html).not.toContain(LATE_SECRET);
    expect(html).toContain('[REDACTED:VIEW_TEST_API_KEY]');
    expect(html).not.toContain(store.dir);
    expect(html).not.toContain(fs.realpathSync(store.dir));
  });

  it('links artifacts by a path relative to the page, never inlines them', () => {
    runr(['view', '--out', 'deep/er/page.html'], { cwd: store.dir });
    const file = path.join(store.dir, 'deep', 'er', 'page.html');
    const run1 = store.workflowRuns[0]?.run_id ?? '';
    const d = pageData(file).details[run1];
    const pass = d.gates[0].attempts[1];
    expect(pass.status).toBe('PASS');
    const art = pass.artifacts.find((a: { exists: boolean }) => a.exists);
    expect(art.href).toBe('../../essays/e1/research/INTAKE.md');
    expect(fs.existsSync(path.resolve(path.dirname(file), decodeURIComponent(art.href)))).toBe(true);
    expect(pageText(file)).not.toContain('# Intake 1');
  });

  it('--where keeps the runs runr find returns for the same query', () => {
    const expr = "status = 'FAILED' or params.seed in (1, 2)";
    const view = runrJson<{ runs: number }>(['view', '--where', expr, '--out', 'where.html'], { cwd: store.dir });
    const find = runrJson<{ runs: Array<{ run_id: string }> }>(['find', expr], { cwd: store.dir });
    const ids = pageData(path.join(store.dir, 'where.html')).runs.map((e: { run_id: string }) => e.run_id);
    expect(ids.sort()).toEqual(find.json.runs.map((e) => e.run_id).sort());
    expect(view.json.runs).toBe(3);
  });

  it('a bad --where is invalid input: exit 2, the query error with its caret, nothing written', () => {
    const r = runr(['view', '--where', "status = ", '--out', 'bad.html'], { cwd: store.dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/column \d+: .*\n.*status =\s*\n\s*\^/);
    expect(fs.existsSync(path.join(store.dir, 'bad.html'))).toBe(false);
  });

  it('a page of 1,000 runs like these stays under 2 MB (the data is compressed)', () => {
    const sample = pageData<ViewData>(path.join(store.dir, '.runr', 'view.html'));
    const data = scaled(sample, 1000);
    expect(Object.keys(data.details)).toHaveLength(1000);
    const html = renderPage(data, loadPageAssets(path.join(repoRoot, 'dist', 'view-page')));
    const json = Buffer.byteLength(JSON.stringify(data));
    expect(json).toBeGreaterThan(2 * 1024 * 1024); // as plain JSON it would not fit
    expect(Buffer.byteLength(html)).toBeLessThanOrEqual(2 * 1024 * 1024);
  });

  it('init keeps the default page out of git', () => {
    const dir = makeRepo({ fixtures: false });
    try {
      expect(runr(['init'], { cwd: dir }).status).toBe(0);
      fs.writeFileSync(path.join(dir, 'x'), '');
      const r = spawnSync('git', ['check-ignore', '-q', '.runr/view.html'], { cwd: dir });
      expect(r.status).toBe(0);
    } finally {
      removeRepo(dir);
    }
  });
});
