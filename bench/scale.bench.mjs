/**
 * Scale benchmark (issue 12): does a store of 10,000 (or 100,000) runs feel like one of 1,000?
 *
 * Builds a project per size with a store of generated runs (test/fixtures/scale/generate-store.mjs:
 * real records made by the CLI, copied under new ids with their journals re-chained), then times
 * each command spawn → exit (median of REPS) and prints the time per size and the 10k/1k (and
 * 100k/10k) ratios, with peak resident memory (GNU time's %M) for the listing commands. Baselines
 * measured in the same run: bare `node -e 0`, and, for the rebuild, reading + JSON.parse of every
 * RUN.json in process.
 *
 *   node bench/scale.bench.mjs [--100k] [--json <file>]     (or RUNR_BENCH_100K=1)
 *   RUNR_BENCH_SCALE_SIZES=1000,5000   other sizes
 *
 * The 100k store takes a minute or two to generate (on tmpfs: TMPDIR=/dev/shm) and several more
 * to measure, so it is opt-in. Records are committed only before the task run (the one command
 * that needs a clean tree); everything else runs on the uncommitted store.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'runr.js');
const { generateStore, MIX } = await import(path.join(root, 'test', 'fixtures', 'scale', 'generate-store.mjs'));
const esy = path.join(root, 'test', 'fixtures', 'esy-visual-essay');

const argv = process.argv.slice(2);
const big = argv.includes('--100k') || process.env.RUNR_BENCH_100K === '1';
const jsonOut = argv.includes('--json') ? argv[argv.indexOf('--json') + 1] : null;
const sizes = process.env.RUNR_BENCH_SCALE_SIZES ? process.env.RUNR_BENCH_SCALE_SIZES.split(',').map(Number) : [1000, 10000, ...(big ? [100000] : [])];
const hasGnuTime = fs.existsSync('/usr/bin/time');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function put(dir, rel, text) {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), typeof text === 'string' ? text : `${JSON.stringify(text, null, 2)}\n`);
}

function sh(cwd, cmd, args) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** One spawn of the CLI: wall ms, exit code, stdout, and peak RSS in MB when asked for. */
function runr(cwd, args, { rss = false, ok = [0] } = {}) {
  const rssFile = path.join(os.tmpdir(), `runr-bench-rss-${process.pid}`);
  const [cmd, full] = rss && hasGnuTime ? ['/usr/bin/time', ['-f', '%M', '-o', rssFile, process.execPath, bin, ...args]] : [process.execPath, [bin, ...args]];
  const t0 = performance.now();
  const r = spawnSync(cmd, full, { cwd, encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, NO_COLOR: '1' } });
  const t = performance.now() - t0;
  if (r.error) throw r.error;
  if (!ok.includes(r.status)) throw new Error(`runr ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 2000)}`);
  let mb = null;
  if (rss && hasGnuTime) {
    mb = Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024;
    fs.rmSync(rssFile, { force: true });
  }
  return { t, mb, status: r.status, stdout: r.stdout };
}

function project(n) {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `runr-bench-scale-${n}-`)));
  sh(dir, 'git', ['init', '-q']);
  sh(dir, 'git', ['config', 'user.email', 'bench@runr.local']);
  sh(dir, 'git', ['config', 'user.name', 'bench']);
  // No automatic gc: after committing thousands of records it repacks in the background and writes
  // .git/info/refs, which a task run's guard then sees as a change to the git directory.
  sh(dir, 'git', ['config', 'gc.auto', '0']);
  put(dir, 'README.md', '# bench\n');
  put(dir, '.gitignore', '.runr/runs/*/logs/\n.runr/worktrees/\n.runr/runs/.runs_manifest.json.*\n');
  put(dir, '.runr/runr.config.json', {
    scope: { allowlist: ['src/**'] },
    verification: { tier0: ['true'] },
    workers: { scripted: { adapter: 'scripted', script: '.runr/script.json' } },
  });
  put(dir, '.runr/script.json', {
    plan: { milestones: [{ goal: 'Add a', files_expected: ['src/a.ts'] }, { goal: 'Add b', files_expected: ['src/b.ts'] }] },
    milestones: { m1: { implement: [{ write: { 'src/a.ts': 'export const a = 1;\n' } }] }, m2: { implement: [{ write: { 'src/b.ts': 'export const b = 2;\n' } }] } },
  });
  put(dir, '.runr/tasks/t.md', '# Add a and b\n\n## Goal\nTwo files\n');
  for (const f of fs.readdirSync(path.join(esy, 'contracts'))) {
    put(dir, `orchestration/gates/contracts/${f}`, fs.readFileSync(path.join(esy, 'contracts', f), 'utf8'));
    put(dir, `.runr/contracts/${f}`, fs.readFileSync(path.join(esy, 'contracts', f), 'utf8'));
  }
  put(dir, '.runr/workflows/visual-essay.json', fs.readFileSync(path.join(esy, 'workflows', 'visual-essay.json'), 'utf8'));
  put(dir, 'orchestration/projects/bench/INTAKE-APPROVAL.md', 'approved\n');
  return dir;
}

/** Reading and parsing every RUN.json, in process: the floor for a rebuild. */
function readAllRecords(runsDir) {
  const t0 = performance.now();
  let n = 0;
  for (const name of fs.readdirSync(runsDir)) {
    if (!name.startsWith('run_')) continue;
    JSON.parse(fs.readFileSync(path.join(runsDir, name, 'record', 'RUN.json'), 'utf8'));
    n++;
  }
  return { t: performance.now() - t0, n };
}

const nodeBase = median(Array.from({ length: 7 }, () => {
  const t0 = performance.now();
  spawnSync(process.execPath, ['-e', '0']);
  return performance.now() - t0;
}));

const results = {}; // name -> size -> {t, mb}
const note = (name, n, v) => ((results[name] ??= {})[n] = v);

for (const n of sizes) {
  const reps = n >= 100_000 ? 3 : 5;
  const dir = project(n);
  const runsDir = path.join(dir, '.runr', 'runs');
  const g0 = performance.now();
  const ids = await generateStore(runsDir, n);
  const genMs = performance.now() - g0;
  console.log(`store of ${n} runs: generated in ${(genMs / 1000).toFixed(1)} s (load average ${os.loadavg()[0].toFixed(1)})`);

  const mid = Math.floor(n / 2);
  const taskIdx = mid - (mid % MIX.length) + MIX.indexOf('task-complete');
  const wfId = ids[mid - (mid % MIX.length)];
  const taskId = ids[taskIdx];
  const prefix = wfId.slice(0, wfId.length - 3);
  const time = (name, args, opts = {}) => {
    const xs = [];
    let mb = null;
    let last = null;
    for (let i = 0; i < (opts.reps ?? reps); i++) {
      last = runr(dir, typeof args === 'function' ? args(i) : args, opts);
      xs.push(last.t);
      if (last.mb !== null) mb = Math.max(mb ?? 0, last.mb);
    }
    note(name, n, { t: median(xs), mb });
    return last;
  };

  // Bare node again at each size: the machine's load drifts during a long run.
  note('node -e 0', n, { t: median(Array.from({ length: reps }, () => { const t0 = performance.now(); spawnSync(process.execPath, ['-e', '0']); return performance.now() - t0; })), mb: null });
  time('runr --version', ['--version']);
  time('status <exact id>', ['status', wfId, '--json']);
  time('status <prefix>', ['status', prefix, '--json']);
  time('status (latest)', ['status', '--json']);
  time('report <task id>', ['report', taskId, '--json']);
  time('run show --run <id>', ['run', 'show', '--run', wfId, '--json']);
  time('audit <id>', ['audit', taskId, '--json'], { ok: [0, 1] });
  time('resume <complete id> (refused)', ['resume', taskId, '--json'], { ok: [0, 1, 2] });
  // A workflow run of its own: start, gate start, invocation record, gate finish.
  const started = [];
  time('run start', (i) => ['run', 'start', '--workflow', 'visual-essay', '--slug', 'bench', '--artifact-path', `essays/bench-${i}`, '--json'], {});
  const fresh = JSON.parse(runr(dir, ['run', 'list', '--json', '--where', "workflow = 'visual-essay'", '--limit', '0']).stdout).runs.filter((r) => r.slug === 'bench').map((r) => r.run_id);
  started.push(...fresh);
  time('gate start', (i) => ['gate', 'start', '--run', started[i], '--gate', 'G1', '--agent', 'bench']);
  time('invocation record', (i) => ['invocation', 'record', '--run', started[i], '--gate', 'G1', '--agent', 'bench', '--json']);
  time('gate finish', (i) => ['gate', 'finish', '--run', started[i], '--gate', 'G1', '--json']);
  time('run list', ['run', 'list'], { rss: true, reps: n >= 100_000 ? 3 : reps });
  // The JSON listings of every run: the first one renders every record and writes the view cache
  // (.runs_manifest.json.views/), the others read it.
  const views = path.join(runsDir, '.runs_manifest.json.views');
  fs.rmSync(views, { recursive: true, force: true });
  time('run list --json, first (writes the view cache)', ['run', 'list', '--json'], { rss: true, reps: 1 });
  time('run list --json', ['run', 'list', '--json'], { rss: true, reps: n >= 100_000 ? 3 : reps });
  time('status --all --json, first (writes the view cache)', ['status', '--all', '--json'], { rss: true, reps: 1 });
  time('status --all --json', ['status', '--all', '--json'], { rss: true, reps: n >= 100_000 ? 3 : reps });
  time('manifest rebuild', ['manifest', 'rebuild', '--json'], { reps: 3 });
  const floor = median([0, 1, 2].map(() => readAllRecords(runsDir).t));
  note('read+parse every RUN.json (in process)', n, { t: floor, mb: null });
  note('rebuild / read+parse', n, { ratio: results['manifest rebuild'][n].t / floor });
  // The spawn's fixed cost taken out (bare node at this size), which dominates small stores.
  note('(rebuild − node -e 0) / read+parse', n, { ratio: (results['manifest rebuild'][n].t - results['node -e 0'][n].t) / floor });
  // Records are tracked, as runr init sets it up: only the task run needs them committed (its guard
  // wants a clean tree; its worktree leaves the records out of the checkout).
  const c0 = performance.now();
  sh(dir, 'git', ['add', '-A']);
  sh(dir, 'git', ['commit', '-q', '-m', 'store']);
  console.log(`store of ${n} runs: committed in ${((performance.now() - c0) / 1000).toFixed(1)} s`);
  time('task run (2 milestones, --worktree)', ['run', '--task', '.runr/tasks/t.md', '--worktree', '--json', '--foreground'], { reps: 3 });
  fs.rmSync(dir, { recursive: true, force: true });
}

const fmt = (v) => (v === undefined ? '-' : v.ratio !== undefined ? `${v.ratio.toFixed(2)}×` : `${v.t < 10 ? v.t.toFixed(1) : v.t.toFixed(0)} ms${v.mb !== null ? ` ${v.mb.toFixed(0)} MB` : ''}`);
const label = (s) => (s >= 1000 ? `${s / 1000}k` : `${s}`);
const pairs = sizes.slice(1).map((s, i) => [sizes[i], s]);
console.log(`\nscale: median wall time spawn → exit (peak RSS for listings); bare node -e 0 = ${nodeBase.toFixed(0)} ms`);
const head = ['command'.padEnd(40), ...sizes.map((s) => label(s).padStart(16)), ...pairs.map(([a, b]) => `${label(b)}/${label(a)}`.padStart(10))];
console.log(head.join(''));
for (const [name, bySize] of Object.entries(results)) {
  const cells = sizes.map((s) => fmt(bySize[s]).padStart(16));
  const ratios = pairs.map(([a, b]) => {
    const x = bySize[a];
    const y = bySize[b];
    if (x === undefined || y === undefined || x.ratio !== undefined) return '-'.padStart(10);
    return `${(y.t / x.t).toFixed(2)}×`.padStart(10);
  });
  console.log([name.padEnd(40), ...cells, ...ratios].join(''));
}
const startRatios = sizes.map((n) => `${label(n)}: --version ${(results['runr --version'][n].t / results['node -e 0'][n].t).toFixed(2)}×, status <exact id> ${(results['status <exact id>'][n].t / results['node -e 0'][n].t).toFixed(2)}×`);
console.log(`start vs bare node -e 0 (same run): ${startRatios.join('; ')} (targets: --version ≤ 1.25×, commands that open the store ≤ 1.3×)`);
console.log(`load average at the end: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log('targets (issue 12): per-run commands 100k/1k ≤ 1.1×; task run 100k/1k ≤ 1.3×; run list ≤ 0.5 s and status --all --json ≤ 2 s, ≤ 200 MB at 100k; rebuild ≤ 2× read+parse');
if (jsonOut) fs.writeFileSync(jsonOut, `${JSON.stringify({ node_ms: nodeBase, sizes, results }, null, 2)}\n`);
