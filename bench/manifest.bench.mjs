/**
 * Manifest benchmark (issue 3). Figures are absolute (the targets are absolute) and also
 * ratios against a baseline measured in the same run:
 *  1. findRuns, 3-clause query, in process, on 10,000 and 100,000 synthetic runs (manifest already
 *     parsed and cached: what a library user or a long-lived process pays per query), median of 15;
 *     baseline: a hand-written `for` loop with the same conditions.           target ≤ 30 ms at 100k
 *     Also the first call (read + parse of the file).
 *  2. `runr find '<same query>' --json` cold on 100,000 runs, median of 5; baseline: bare `node -e 0`.
 *                                                                              target ≤ 0.5 s
 *  3. updateManifest of one run in a 100,000-run manifest (fsync on), median of 7 (new run at the
 *     end, and a change in the middle); baseline: one atomic write of the same bytes.
 *                                                                              target ≤ 0.5 s
 *  4. rebuildManifest over 10,000 runr run directories, median of 3; baseline: reading and
 *     JSON.parse-ing the same 10,000 RUN.json files.
 * Reference: a popular experiment tracker's file store needs about 50 ms per search at 3,000 runs.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'runr.js');
const dist = (p) => import(path.join(root, 'dist', p));
const { findRuns, getManifest, updateManifest, rebuildManifest } = await dist('index.js');
const { buildManifest } = await dist('core/manifest/manifest.js');
const { serializeManifest } = await dist('core/manifest/serialize.js');
const { writeFileAtomicSync } = await dist('store/atomic.js');
const { storeFor } = await dist('store/open-store.js');
const { openProject } = await dist('store/project.js');

const QUERY = "status = 'PASSED' and params.seed in (1, 2) and metrics.total_tokens > 50000";
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (x) => `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms`;
const tmp = (p) => fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), p)));

/** Deterministic synthetic entries shaped like runr's (workflow and task runs, a few params and metrics). */
function synthetic(n) {
  const statuses = ['PASSED', 'FAILED', 'RUNNING', 'PASSED', 'CANCELED'];
  const out = new Array(n);
  const t0 = Date.UTC(2026, 0, 1);
  for (let i = 0; i < n; i++) {
    const start = new Date(t0 + i * 60_000);
    const id = `run_${start.toISOString().replace(/[-:.]/g, '')}_exp-${i % 40}_${(i * 7919).toString(36).padStart(6, '0').slice(-6)}`;
    const status = statuses[i % statuses.length];
    out[i] = {
      run_id: id,
      framework: 'runr',
      path: id,
      start_time: start.toISOString(),
      end_time: status === 'RUNNING' ? null : new Date(start.getTime() + 30_000 + (i % 600) * 1000).toISOString(),
      verification_status: status === 'PASSED' ? 'verified' : status === 'FAILED' ? 'failed' : 'pending',
      total_tokens_in: (i * 37) % 200_000,
      total_tokens_out: (i * 11) % 50_000,
      kind: i % 3 === 0 ? 'task' : 'workflow',
      workflow: i % 3 === 0 ? 'task' : 'visual-essay',
      status,
      stop_reason: null,
      params: { seed: i % 7, model: i % 2 ? 'model-a' : 'model-b', depth: 'standard' },
      metrics: { total_tokens: (i * 48) % 250_000, duration_ms: (i % 600) * 1000 },
      tags: { batch: `b${i % 20}` },
    };
  }
  return out;
}

function writeManifestDir(entries) {
  const dir = tmp('runr-bench-manifest-');
  fs.writeFileSync(path.join(dir, 'runs_manifest.json'), serializeManifest(buildManifest(entries, new Date().toISOString())));
  return dir;
}

/** The same three clauses, by hand: the fastest this can be in JS. */
function handFilter(runs) {
  const out = [];
  for (const e of runs) {
    const seed = e.params.seed;
    const tok = e.metrics.total_tokens;
    if (e.status === 'PASSED' && (seed === 1 || seed === 2) && typeof tok === 'number' && tok > 50000) out.push(e);
  }
  return out;
}

// ── 1. findRuns in process ───────────────────────────────────────────────────────────────────
async function benchFind(n) {
  const dir = writeManifestDir(synthetic(n));
  const size = fs.statSync(path.join(dir, 'runs_manifest.json')).size;
  let t = performance.now();
  const first = await findRuns({ query: QUERY }, { runsDir: dir });
  const firstMs = performance.now() - t;
  const runs = (await getManifest({ runsDir: dir })).runs;
  const q = [];
  const base = [];
  let count = 0;
  for (let i = 0; i < 17; i++) {
    t = performance.now();
    count = (await findRuns({ query: QUERY }, { runsDir: dir })).length;
    const a = performance.now() - t;
    t = performance.now();
    const b0 = handFilter(runs).length;
    const b = performance.now() - t;
    if (b0 !== count || first.length !== count) throw new Error(`mismatch: ${b0} vs ${count}`);
    if (i >= 2) {
      q.push(a);
      base.push(b);
    }
  }
  return { dir, n, size, count, firstMs, query: median(q), base: median(base) };
}

// ── 2. runr find, cold ───────────────────────────────────────────────────────────────────────
function benchCli(dir) {
  const node = [];
  const cli = [];
  let count = -1;
  for (let i = 0; i < 6; i++) {
    let t = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    const a = performance.now() - t;
    t = performance.now();
    const r = spawnSync(process.execPath, [bin, 'find', QUERY, '--dir', dir, '--json'], { encoding: 'utf8', maxBuffer: 1 << 30 });
    const b = performance.now() - t;
    if (r.status !== 0) throw new Error(`runr find exited ${r.status}: ${r.stderr}`);
    count = JSON.parse(r.stdout).count;
    if (i >= 1) {
      node.push(a);
      cli.push(b);
    }
  }
  return { node: median(node), cli: median(cli), count };
}

// ── 3. one update in a 100k manifest ─────────────────────────────────────────────────────────
async function benchUpdate(dir, n) {
  const file = path.join(dir, 'runs_manifest.json');
  const bytes = fs.readFileSync(file);
  const append = [];
  const middle = [];
  const base = [];
  const midId = synthetic(n)[n >> 1].run_id;
  const proto = synthetic(1)[0];
  for (let i = 0; i < 7; i++) {
    let t = performance.now();
    await updateManifest({ run_id: `run_29990101T000000000Z_bench_${String(i).padStart(6, '0')}`, framework: 'runr', status: 'RUNNING' }, { runsDir: dir });
    append.push(performance.now() - t);
    t = performance.now();
    await updateManifest({ ...proto, run_id: midId, status: 'FAILED', params: { seed: i } }, { runsDir: dir });
    middle.push(performance.now() - t);
    t = performance.now();
    writeFileAtomicSync(path.join(dir, 'copy.json'), bytes);
    base.push(performance.now() - t);
  }
  const m = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (m.total_runs !== n + 7 || m.runs.length !== n + 7) throw new Error(`update lost runs: ${m.total_runs}`);
  return { append: median(append), middle: median(middle), base: median(base) };
}

// ── 4. rebuild of 10,000 run directories ─────────────────────────────────────────────────────
async function benchRebuild(n) {
  const projectRoot = tmp('runr-bench-rebuild-');
  fs.mkdirSync(path.join(projectRoot, '.runr'));
  const store = storeFor(openProject(projectRoot), { fsync: false });
  const proto = await store.create({
    kind: 'workflow',
    workflow: { name: 'visual-essay', version: 'local-dev', slug: 'proto', artifact_path: 'x' },
    depth: 'standard',
    prompt: null,
    params: { seed: 1 },
    gates: [{ gate: 'G1', name: 'Intake' }],
  });
  const runsDir = store.runsDir;
  const protoDir = path.join(runsDir, proto.run_id, 'record');
  const files = ['RUN.json', 'events.jsonl'].map((f) => [f, fs.readFileSync(path.join(protoDir, f), 'utf8')]);
  fs.rmSync(path.join(runsDir, proto.run_id), { recursive: true });
  fs.rmSync(path.join(runsDir, 'runs_manifest.json'));
  // Copies of one real record under new ids (a one-event journal, so no hash chain to redo).
  for (let i = 0; i < n; i++) {
    const id = proto.run_id.replace(/_[a-z0-9]{6}$/, `_${i.toString(36).padStart(6, '0')}`);
    const rec = path.join(runsDir, id, 'record');
    fs.mkdirSync(rec, { recursive: true });
    for (const [f, text] of files) fs.writeFileSync(path.join(rec, f), text.split(proto.run_id).join(id));
  }
  const names = fs.readdirSync(runsDir).filter((x) => x.startsWith('run_'));
  const rebuild = [];
  const base = [];
  let total = 0;
  for (let i = 0; i < 3; i++) {
    let t = performance.now();
    const r = await rebuildManifest({ runsDir, layout: 'runr' });
    rebuild.push(performance.now() - t);
    total = r.manifest.total_runs;
    if (r.problems.length > 0) throw new Error(`rebuild problems: ${JSON.stringify(r.problems.slice(0, 2))}`);
    t = performance.now();
    for (const x of names) JSON.parse(fs.readFileSync(path.join(runsDir, x, 'record', 'RUN.json'), 'utf8'));
    base.push(performance.now() - t);
  }
  fs.rmSync(projectRoot, { recursive: true, force: true });
  return { total, rebuild: median(rebuild), base: median(base) };
}

const f10 = await benchFind(10_000);
const f100 = await benchFind(100_000);
const cli = benchCli(f100.dir);
const upd = await benchUpdate(f100.dir, 100_000);
const reb = await benchRebuild(10_000);
for (const d of [f10.dir, f100.dir]) fs.rmSync(d, { recursive: true, force: true });

const ok = (v, target) => (v <= target ? 'ok' : 'OVER');
console.log(`query: ${QUERY}`);
console.log('| what | runr | baseline | ratio | target |');
console.log('|---|---|---|---|---|');
for (const f of [f10, f100]) {
  console.log(`| findRuns in process, ${f.n.toLocaleString('en')} runs (${f.count} match) | ${ms(f.query)} | ${ms(f.base)} hand-written loop | ${(f.query / f.base).toFixed(2)}× | ≤ 30 ms: ${ok(f.query, 30)} |`);
  console.log(`| first findRuns (read + parse ${(f.size / 1e6).toFixed(1)} MB), ${f.n.toLocaleString('en')} runs | ${ms(f.firstMs)} | | | |`);
}
console.log(`| runr find cold, 100,000 runs (${cli.count} match) | ${ms(cli.cli)} | ${ms(cli.node)} node -e 0 | ${(cli.cli / cli.node).toFixed(2)}× | ≤ 500 ms: ${ok(cli.cli, 500)} |`);
console.log(`| updateManifest, new run, 100,000-run manifest | ${ms(upd.append)} | ${ms(upd.base)} atomic write of the file | ${(upd.append / upd.base).toFixed(2)}× | ≤ 500 ms: ${ok(upd.append, 500)} |`);
console.log(`| updateManifest, changed run, 100,000-run manifest | ${ms(upd.middle)} | ${ms(upd.base)} atomic write of the file | ${(upd.middle / upd.base).toFixed(2)}× | ≤ 500 ms: ${ok(upd.middle, 500)} |`);
console.log(`| rebuildManifest, ${reb.total.toLocaleString('en')} run directories | ${ms(reb.rebuild)} | ${ms(reb.base)} read + JSON.parse of each RUN.json | ${(reb.rebuild / reb.base).toFixed(2)}× | |`);
console.log('reference: a popular experiment tracker’s file store, about 50 ms per search at 3,000 runs');
