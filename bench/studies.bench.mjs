/**
 * Studies benchmark (issue 11). A batch of 20 variants (a one-axis sweep: the baseline plus 19
 * values, one seed) × 6 stages of no-op commands (each stage copies its one dep to its one out with
 * `cp`, so the cache has something to hash), every figure against a baseline measured in the same run:
 *  1. runr's overhead per stage: `runr batch run --jobs 1` wall time minus spawning the same 120
 *     `cp` commands, one after another, from this bare node script (spawnSync), divided by 120.
 *     It includes everything runr adds: the CLI start, loading the pipeline and manifest, the
 *     cache keys (sha256 of deps, cmd, params, seed), the journal of each variant's run, output
 *     hashes, the manifest entry and the registry row. Target ≤ 15 ms per stage.
 *     (`--jobs 2` is reported too: variants in parallel on this machine's cores.)
 *  2. Deciding that the unchanged batch has nothing to do: `runr batch run` wall time (start to
 *     exit, `nothing to do`) against hashing the same files — every dep and out of the 120 stages —
 *     with one `sha256sum` process. Target ≤ 0.3 s.
 * Each figure is also given in CPU time (user + system of the processes started, from the kernel's
 * accounting of reaped children, Linux): on a machine shared with other work, wall time measures the
 * load as much as runr, while the CPU a run costs does not depend on who else is running.
 * Run with `npm run bench` (builds first) or `node bench/run-all.mjs studies`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'runr.js');
const STUDY = 'bench-study';
const VARIANTS = 20;
const STAGES = 6;
const REPS = 5;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (x) => `${x.toFixed(1)} ms`;
const CLK_TCK = (() => {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  return Number(r.stdout?.trim()) || 100;
})();
/** CPU ms (user + system) of this process's reaped children so far; null where /proc is missing. */
function childCpu() {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // f[0] is field 3 (state)
    return ((Number(f[13]) + Number(f[14])) * 1000) / CLK_TCK; // cutime, cstime
  } catch {
    return null;
  }
}
/** Wall and CPU ms of `fn` (CPU of the child processes it ran and waited for). */
function timed(fn) {
  const c0 = childCpu();
  const t0 = performance.now();
  const value = fn();
  const wall = performance.now() - t0;
  const c1 = childCpu();
  return { value, wall, cpu: c0 === null || c1 === null ? null : c1 - c0 };
}
const cpuText = (x) => (x === null ? 'n/a' : ms(x));
const dirs = [];

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r;
}
/**
 * runr's caches (the V8 code cache of bin/runr.js, the studies caches) in a directory of this run:
 * other users of ~/.cache/runr (other checkouts, other builds) can neither prune nor warm them. Off
 * while the first repository is set up; then made by a `batch run`, so the code cache holds the
 * functions a `batch run` compiles (it is written by the first command that finds none).
 */
let cacheDir = 'off';
const runr = (cwd, ...args) => run(process.execPath, [bin, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', RUNR_CACHE_DIR: cacheDir } });

function put(dir, rel, text) {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), text);
}

function pipeline() {
  const lines = ['params:', '  x: 0', '', 'stages:'];
  for (let s = 1; s <= STAGES; s++) {
    const dep = s === 1 ? '{base.population_spec}' : `{inputs}/s${s - 1}.out`;
    lines.push(`  s${s}:`, `    cmd: [cp, "${dep}", "{inputs}/s${s}.out"]`, `    deps: ["${dep}"]`, `    outs: ["{inputs}/s${s}.out"]`);
    if (s === 1) lines.push('    params: [x]');
  }
  return `${lines.join('\n')}\n`;
}

/** A repository with the study, its specs, the no-op pipeline and a 20-variant batch. */
function studyRepo() {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'runr-bench-studies-')));
  dirs.push(dir);
  run('git', ['init', '-q', dir]);
  runr(dir, 'study', 'init', STUDY, '--no-pipeline');
  const specs = `runs/${STUDY}/specs`;
  put(dir, `${specs}/pop/${STUDY}.pop-v01.yaml`, 'population: bench\nsize: 100\n'.repeat(200));
  put(dir, `${specs}/network-config/${STUDY}.network-cfg-v01.yaml`, 'avg_degree: 8\n');
  put(dir, `${specs}/scenario/${STUDY}.scn-v01.scenario.yaml`, 'name: bench\n');
  put(dir, `runs/${STUDY}/pipeline.yaml`, pipeline());
  const values = Array.from({ length: VARIANTS - 1 }, (_, i) => String(i + 1)).join(',');
  const b = JSON.parse(runr(dir, 'batch', 'new', STUDY, '--intent', 'bench', '--scenario-rev', 'scn-v01', '--config-rev', 'cfg-v01', '--objective', 'bench', '--sweep', `x=${values}`, '--seeds', '42', '--json').stdout);
  if (b.variants.length !== VARIANTS) throw new Error(`expected ${VARIANTS} variants, got ${b.variants.length}`);
  return { dir, batch: b.batch_id, variants: b.variants.map((v) => v.id), spec: path.join(dir, specs, 'pop', `${STUDY}.pop-v01.yaml`) };
}

/** The same 120 commands from a bare script: per variant, the chain of cp's into its own directory. */
function bare(spec) {
  const d = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'runr-bench-studies-bare-')));
  dirs.push(d);
  return timed(() => {
    for (let v = 0; v < VARIANTS; v++) {
      const inputs = path.join(d, `v${v}`, 'inputs');
      fs.mkdirSync(inputs, { recursive: true });
      for (let s = 1; s <= STAGES; s++) run('cp', [s === 1 ? spec : path.join(inputs, `s${s - 1}.out`), path.join(inputs, `s${s}.out`)]);
    }
  });
}

function batchRun(jobs) {
  const s = studyRepo();
  const t = timed(() => JSON.parse(runr(s.dir, 'batch', 'run', STUDY, s.batch, '--jobs', String(jobs), '--json').stdout));
  const r = t.value;
  if (r.counts.ran !== VARIANTS * STAGES) throw new Error(`expected ${VARIANTS * STAGES} stages to run, got ${JSON.stringify(r.counts)}`);
  return { ...s, wall: t.wall, cpu: t.cpu };
}

try {
  const load = () => os.loadavg().map((x) => x.toFixed(1)).join(' ');
  console.log(`${VARIANTS} variants × ${STAGES} no-op stages (cp dep → out); ${os.cpus().length} CPUs; Node ${process.version}; load average ${load()}`);
  {
    const w = studyRepo();
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runr-bench-studies-cache-'));
    dirs.push(cacheDir);
    runr(w.dir, 'batch', 'run', STUDY, w.batch, '--dry-run', '--json');
  }
  const one = [];
  const oneCpu = [];
  const bares = [];
  const bareCpu = [];
  let last = null;
  for (let i = 0; i < REPS; i++) {
    last = batchRun(1);
    one.push(last.wall);
    oneCpu.push(last.cpu);
    const b = bare(last.spec);
    bares.push(b.wall);
    bareCpu.push(b.cpu);
  }
  const two = [];
  for (let i = 0; i < 3; i++) two.push(batchRun(2).wall);
  const n = VARIANTS * STAGES;
  const w1 = median(one);
  const b = median(bares);
  const per = (w1 - b) / n;
  const hasCpu = oneCpu.every((x) => x !== null) && bareCpu.every((x) => x !== null);
  const perCpu = hasCpu ? (median(oneCpu) - median(bareCpu)) / n : null;
  console.log(`  runr batch run --jobs 1: ${ms(w1)}; the same ${n} commands from a bare node script: ${ms(b)} → ${(w1 / b).toFixed(2)}× the bare commands`);
  console.log(`  runr's overhead per stage: ${ms(per)} (target ≤ 15 ms)  ${per <= 15 ? 'OK' : 'OVER TARGET'}`);
  console.log(`    in CPU time: runr ${cpuText(hasCpu ? median(oneCpu) : null)}, the bare commands ${cpuText(hasCpu ? median(bareCpu) : null)} → ${cpuText(perCpu)} per stage${hasCpu ? ` (${(median(oneCpu) / median(bareCpu)).toFixed(2)}×)` : ''} (target ≤ 15 ms)  ${perCpu !== null && perCpu <= 15 ? 'OK' : 'OVER TARGET'}`);
  const w2 = median(two);
  console.log(`  runr batch run --jobs 2: ${ms(w2)} → ${ms((w2 - b) / n)} per stage beyond the bare commands`);

  // Nothing to do: the batch of the last --jobs 1 run, unchanged. The first of these runs also
  // settles the hash cache (files written during the run are hashed again once); it is shown apart.
  const s = last;
  const decide = [];
  const decideCpu = [];
  for (let i = 0; i < REPS + 1; i++) {
    const t = timed(() => JSON.parse(runr(s.dir, 'batch', 'run', STUDY, s.batch, '--json').stdout));
    const r = t.value;
    if (!r.nothing_to_do || r.counts.ran !== 0) throw new Error(`expected nothing to do, got ${JSON.stringify(r.counts)}`);
    decide.push(t.wall);
    decideCpu.push(t.cpu);
  }
  const files = [s.spec];
  for (const v of s.variants) for (let k = 1; k <= STAGES; k++) files.push(path.join(s.dir, 'runs', STUDY, 'batches', s.batch, 'variants', v, 'inputs', `s${k}.out`));
  const sums = [];
  const sumsCpu = [];
  for (let i = 0; i < REPS; i++) {
    const t = timed(() => run('sha256sum', files));
    sums.push(t.wall);
    sumsCpu.push(t.cpu);
  }
  const startup = [];
  const startupCpu = [];
  for (let i = 0; i < REPS; i++) {
    // `--version` alone is answered by the launcher without loading the CLI; with `--json` commander answers.
    const t = timed(() => runr(s.dir, '--version', '--json'));
    startup.push(t.wall);
    startupCpu.push(t.cpu);
  }
  const nodeWall = [];
  const nodeCpu = [];
  for (let i = 0; i < REPS; i++) {
    const t = timed(() => run(process.execPath, ['-e', '0']));
    nodeWall.push(t.wall);
    nodeCpu.push(t.cpu);
  }
  const d = median(decide.slice(1));
  const h = median(sums);
  const cpuOf = (xs) => (xs.every((x) => x !== null) ? median(xs) : null);
  console.log(`  unchanged batch → nothing to do (${n} stages): runr ${ms(d)} (target ≤ 300 ms)  ${d <= 300 ? 'OK' : 'OVER TARGET'}; sha256sum of the same ${files.length} files (deps and outs): ${ms(h)} → ${(d / h).toFixed(1)}×`);
  const dc = cpuOf(decideCpu.slice(1));
  const hc = cpuOf(sumsCpu);
  console.log(`    in CPU time: runr ${cpuText(dc)} (target ≤ 300 ms)  ${dc !== null && dc <= 300 ? 'OK' : 'OVER TARGET'}; sha256sum ${cpuText(hc)}${dc !== null && hc !== null && hc > 0 ? ` → ${(dc / hc).toFixed(1)}×` : ''}`);
  console.log(`    first time after the run (hash cache settling): ${ms(decide[0])}`);
  console.log(`    of which CLI start (runr --version --json: the bundle and commander, no store): ${ms(median(startup))} (CPU ${cpuText(cpuOf(startupCpu))})`);
  console.log(`    bare node -e 0 in the same run: ${ms(median(nodeWall))} (CPU ${cpuText(cpuOf(nodeCpu))}) → runr's decision is ${(d / median(nodeWall)).toFixed(1)}× a bare node start`);
  console.log(`  load average at the end ${load()}`);
} finally {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
}
