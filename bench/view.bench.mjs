/**
 * Page benchmark (issue 13): the size of a `runr view` page and its time to first contentful
 * paint in headless Chromium (/usr/bin/chromium, driven by playwright-core, opened from file://)
 * for 100, 1,000 and 10,000 runs. Baseline, measured in the same browser in the same run: an
 * empty page (one line of text) from file://. Figures: median of 5 loads each, and the ratio to
 * the baseline.                                     targets: ≤ 2 MB and FCP ≤ 1 s at 1,000 runs
 *
 * The runs are real: a store made with the built CLI (workflow runs with a failed and a passed
 * attempt, a failed run, an agent task run with two milestones), collected as `runr view` does,
 * then repeated with new run ids, seeds and start times up to the count (so each run's detail is
 * as large as a real one's).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'runr.js');
const dist = (p) => import(path.join(root, 'dist', p));
const { collectView } = await dist('view/collect.js');
const { renderPage, loadPageAssets } = await dist('view/page.js');
const CHROMIUM = process.env.RUNR_CHROMIUM ?? '/usr/bin/chromium';
const COUNTS = [100, 1000, 10_000];
const LOADS = Number(process.env.RUNR_BENCH_LOADS ?? 5);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const mb = (b) => (b < 1024 * 1024 ? `${(b / 1024).toFixed(1)} KB` : `${(b / 1024 / 1024).toFixed(2)} MB`);

function sh(cwd, cmd, args, input) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', input, env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}
const runr = (cwd, args) => sh(cwd, process.execPath, [bin, ...args]);
const write = (dir, rel, text) => {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), typeof text === 'string' ? text : JSON.stringify(text, null, 2));
};

/** A small real store: 3 workflow runs and a task run, made with the built CLI. */
function makeStore() {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'runr-view-bench-')));
  sh(dir, 'git', ['init', '-q']);
  sh(dir, 'git', ['config', 'user.email', 'bench@example.com']);
  sh(dir, 'git', ['config', 'user.name', 'bench']);
  const fx = path.join(root, 'test', 'fixtures', 'esy-visual-essay');
  for (const f of fs.readdirSync(path.join(fx, 'contracts'))) write(dir, `orchestration/gates/contracts/${f}`, fs.readFileSync(path.join(fx, 'contracts', f), 'utf8'));
  write(dir, 'orchestration/runner/workflows/visual-essay.json', fs.readFileSync(path.join(fx, 'workflows', 'visual-essay.json'), 'utf8'));
  write(dir, 'README.md', '# bench\n');
  write(dir, '.gitignore', '.runr/runs/*/logs/\n.runr/worktrees/\n.runr/view.html\n');
  write(dir, '.runr/runr.config.json', {
    agent: { name: 'bench', version: '1' },
    scope: { allowlist: ['src/**'] },
    verification: { tier0: ['test -f README.md'] },
    workers: { scripted: { adapter: 'scripted', script: '.runr/script.json' } },
    phases: { plan: 'scripted', implement: 'scripted', review: 'scripted' },
  });
  write(dir, '.runr/script.json', {
    plan: { milestones: [{ goal: 'Add greet', files_expected: ['src/greet.ts'], risk_level: 'low' }, { goal: 'Add farewell', files_expected: ['src/farewell.ts'], risk_level: 'low' }] },
    milestones: { m1: { implement: [{ write: { 'src/greet.ts': 'export const greet = 1;\n' } }] }, m2: { implement: [{ write: { 'src/farewell.ts': 'export const farewell = 1;\n' } }] } },
  });
  write(dir, '.runr/tasks/task.md', '# Add greeting helpers\n\nAdd src/greet.ts and src/farewell.ts.\n');
  sh(dir, 'git', ['add', '-A']);
  sh(dir, 'git', ['commit', '-q', '-m', 'init']);
  const start = (seed) => JSON.parse(runr(dir, ['run', 'start', '--workflow', 'orchestration/runner/workflows/visual-essay.json', '--slug', `essay-${seed}`, '--artifact-path', `essays/e${seed}`, '--param', `seed=${seed}`, '--json'])).run_id;
  const gate = (id, verb) => runr(dir, ['gate', verb, '--run', id, '--gate', 'G1', '--json']);
  const r1 = start(1);
  gate(r1, 'start');
  gate(r1, 'finish');
  write(dir, 'essays/e1/research/INTAKE.md', '# Intake 1\n');
  gate(r1, 'start');
  gate(r1, 'finish');
  runr(dir, ['run', 'complete', '--run', r1, '--status', 'PASSED']);
  const r2 = start(2);
  gate(r2, 'start');
  gate(r2, 'finish');
  const r3 = start(3);
  write(dir, 'essays/e3/research/INTAKE.md', '# Intake 3\n');
  gate(r3, 'start');
  gate(r3, 'finish');
  runr(dir, ['run', '--task', '.runr/tasks/task.md', '--worktree', '--json', '--foreground']);
  return dir;
}

/** `n` runs: the sample's rows and details repeated with new ids, seeds and start times. */
function scaled(sample, n) {
  const rows = sample.runs;
  const runs = [];
  const details = {};
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  for (let i = 0; i < n; i++) {
    const t = rows[i % rows.length];
    const at = new Date(t0 + i * 97_000);
    const id = `run_${at.toISOString().replace(/[-:.]/g, '').slice(0, 15)}Z_${t.kind ?? 'x'}-${i}_${(i * 7919).toString(36).padStart(6, '0').slice(-6)}`;
    // Each copy gets its own hashes and times, as distinct runs have (a copy's sha256 would
    // compress away, flattering the page's size).
    const fresh = (hex) => createHash('sha256').update(`${hex}:${i}`).digest('hex').slice(0, hex.length);
    const swap = (v) =>
      JSON.parse(
        JSON.stringify(v)
          .split(t.run_id)
          .join(id)
          .replace(/\b[0-9a-f]{40}(?:[0-9a-f]{24})?\b/g, fresh)
          .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g, (ts) => new Date(Date.parse(ts) - Date.parse(t.start_time ?? ts) + at.getTime() + (i % 13) * 1000).toISOString()),
      );
    const e = swap(t);
    if (e.params !== undefined && 'seed' in e.params) e.params = { ...e.params, seed: i % 7 };
    runs.push(e);
    const d = sample.details[t.run_id];
    if (d !== undefined) details[id] = swap(d);
  }
  return { ...sample, total_runs: n, runs, details };
}

async function fcp(page, url) {
  await page.goto(url, { waitUntil: 'load' });
  const v = await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null, null, { timeout: 60_000 });
  return v.jsonValue();
}

const dir = makeStore();
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'runr-view-bench-pages-'));
try {
  const { data: sample } = await collectView({ cwd: dir, outDir: path.join(dir, '.runr') });
  const assets = loadPageAssets(path.join(root, 'dist', 'view-page'));
  console.log(`sample store: ${sample.runs.length} runs (${sample.runs.map((r) => r.kind).join(', ')})`);
  const empty = path.join(out, 'empty.html');
  fs.writeFileSync(empty, '<!doctype html><html><head><meta charset="utf-8"><title>empty</title></head><body><p>empty page</p></body></html>\n');
  const pages = COUNTS.map((n) => {
    const data = scaled(sample, n);
    const file = path.join(out, `view-${n}.html`);
    const html = renderPage(data, assets);
    fs.writeFileSync(file, html);
    const json = Buffer.byteLength(JSON.stringify(data));
    return { n, file, bytes: Buffer.byteLength(html), json };
  });
  if (!fs.existsSync(CHROMIUM)) {
    console.log(`${CHROMIUM} is missing: sizes only (apt-get install -y chromium for the paint times)`);
    for (const p of pages) console.log(`${String(p.n).padStart(6)} runs  page ${mb(p.bytes).padStart(9)}  (data as plain JSON ${mb(p.json)})`);
  } else {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update'] });
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const errors = [];
      const blocked = [];
      await context.route('**/*', (route) => (route.request().url().startsWith('file://') ? route.continue() : (blocked.push(route.request().url()), route.abort())));
      /** One load: FCP, and for a runr page the marks it sets (data read, first rows drawn). */
      const load = async (file) => {
        const page = await context.newPage();
        page.on('pageerror', (e) => errors.push(e.message));
        page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
        const t = await fcp(page, pathToFileURL(file).href);
        let m = {};
        if (file !== empty) {
          await page.waitForSelector('#runs-table tbody tr', { timeout: 60_000 });
          m = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark').map((e) => [e.name, e.startTime])));
        }
        await page.close();
        return { t, m };
      };
      await load(empty); // warm-up: the browser's first page pays its start-up
      // Empty page and runr page loaded in turn, so a busy machine slows both alike; the ratio
      // is taken per pair, then the median.
      const empties = [];
      for (const p of pages) {
        const ts = [];
        const ratios = [];
        const data = [];
        const drawn = [];
        for (let i = 0; i < LOADS; i++) {
          const e = await load(empty);
          const r = await load(p.file);
          empties.push(e.t);
          ts.push(r.t);
          ratios.push(r.t / e.t);
          data.push(r.m['runr:data']);
          drawn.push(r.m['runr:drawn']);
        }
        const t = median(ts);
        const verdict = p.n === 1000 ? `  [target ≤ 2 MB: ${p.bytes <= 2 * 1024 * 1024 ? 'met' : 'MISSED'}; FCP ≤ 1 s: ${t <= 1000 ? 'met' : 'MISSED'}]` : '';
        console.log(
          `${String(p.n).padStart(6)} runs  page ${mb(p.bytes).padStart(9)}  (data as plain JSON ${mb(p.json).padStart(9)})  FCP ${t.toFixed(0).padStart(5)} ms = ${median(ratios).toFixed(1)}× empty (data read at ${median(data).toFixed(0)} ms, first rows drawn at ${median(drawn).toFixed(0)} ms)${verdict}`,
        );
      }
      console.log(`baseline: empty page FCP ${median(empties).toFixed(0)} ms (median of ${empties.length}, loaded in turn with the pages; ${LOADS} pairs per count)`);
      if (errors.length > 0 || blocked.length > 0) throw new Error(`page errors: ${errors.join('; ')}; network: ${blocked.join(', ')}`);
    } finally {
      await browser.close();
    }
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
  if (process.env.RUNR_BENCH_KEEP === '1') console.log(`pages kept in ${out}`);
  else fs.rmSync(out, { recursive: true, force: true });
}
