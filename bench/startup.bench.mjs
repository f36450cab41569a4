/**
 * Start-up benchmark (issue 12, Deliver 5): what a runr command costs against a bare `node -e 0`
 * measured in the same run, interleaved (one of each per round), so machine load shifts both.
 * Figures: median wall time spawn → exit, and mean CPU time (user + system of the child, from this
 * process's cutime/cstime in /proc/self/stat) — on a shared machine the CPU ratio is the steadier.
 *
 *   runr --version                     target ≤ 1.25× node -e 0
 *   runr status <exact id> --json      target ≤ 1.3× (a command that opens the store)
 *   runr run list --json, runr report  also open the store
 *
 * The store: 60 generated runs (test/fixtures/scale/generate-store.mjs). The V8 code cache is made
 * in a temp directory by one warm-up run, as a user's first command would. STARTUP_BENCH_ROUNDS
 * (default 25) rounds.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { childCpu, median } from './lib.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'runr.js');
const { generateStore, MIX } = await import(path.join(root, 'test', 'fixtures', 'scale', 'generate-store.mjs'));
const ROUNDS = Number(process.env.STARTUP_BENCH_ROUNDS ?? 25);

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'runr-bench-startup-')));
const cacheDir = path.join(dir, 'cache');
const env = { ...process.env, NO_COLOR: '1', RUNR_CACHE_DIR: cacheDir };
try {
  const project = path.join(dir, 'p');
  fs.mkdirSync(project);
  spawnSync('git', ['init', '-q'], { cwd: project });
  const ids = await generateStore(path.join(project, '.runr', 'runs'), 60);
  const wf = ids[30];
  const task = ids[MIX.indexOf('task-complete') + 30 - (30 % MIX.length)];

  const cases = [
    ['node -e 0', process.execPath, ['-e', '0']],
    ['runr --version', process.execPath, [bin, '--version']],
    ['runr status <exact id> --json', process.execPath, [bin, 'status', wf, '--json']],
    ['runr report <task id> --json', process.execPath, [bin, 'report', task, '--json']],
    ['runr run list --json', process.execPath, [bin, 'run', 'list', '--json']],
  ];
  const spawn = (cmd, args) => {
    const c0 = childCpu();
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { cwd: project, env, encoding: 'utf8' });
    const wall = performance.now() - t0;
    const c1 = childCpu();
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return { wall, cpu: c0 === null || c1 === null ? null : c1 - c0 };
  };
  spawn(process.execPath, [bin, 'status', wf, '--json']); // makes the code cache, as a first use does
  const res = cases.map(() => ({ wall: [], cpu: [] }));
  for (let i = 0; i < ROUNDS; i++) {
    cases.forEach(([, cmd, args], j) => {
      const t = spawn(cmd, args);
      res[j].wall.push(t.wall);
      if (t.cpu !== null) res[j].cpu.push(t.cpu);
    });
  }
  const load = os.loadavg().map((x) => x.toFixed(1)).join(' ');
  console.log(`start-up against bare node, ${ROUNDS} interleaved rounds; ${os.cpus().length} CPUs; Node ${process.version}; load average ${load}`);
  console.log(`${'command'.padEnd(32)}${'wall (median)'.padStart(14)}${'× node'.padStart(8)}${'CPU (mean)'.padStart(12)}${'× node'.padStart(8)}`);
  const base = res[0];
  cases.forEach(([name], j) => {
    const w = median(res[j].wall);
    const c = res[j].cpu.length === ROUNDS ? mean(res[j].cpu) : null;
    const cb = base.cpu.length === ROUNDS ? mean(base.cpu) : null;
    const cpuCells = c === null || cb === null ? ['n/a'.padStart(12), ''.padStart(8)] : [`${c.toFixed(0)} ms`.padStart(12), `${(c / cb).toFixed(2)}×`.padStart(8)];
    console.log(`${name.padEnd(32)}${`${w.toFixed(0)} ms`.padStart(14)}${`${(w / median(base.wall)).toFixed(2)}×`.padStart(8)}${cpuCells.join('')}`);
  });
  console.log('targets (issue 12): --version ≤ 1.25× node -e 0; commands that open the store ≤ 1.3×');
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
