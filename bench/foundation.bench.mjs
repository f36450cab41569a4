/**
 * Foundation benchmark (issue 2). Every figure is a ratio against a baseline measured in the same run:
 *  1. start time: `runr --version` and `runr run list` (repo with 50 runs) vs bare `node -e 0`
 *     (median of 21 interleaved runs each);                                   target ≤ 1.5×
 *  2. engine overhead per gate: `runr run <wf>` on a workflow of 100 `command` gates running `true`
 *     with a trivial contract (fsync on), minus 100 × the time to spawn `true`, divided by 100
 *     (median of 3 runs);                                                     target ≤ 15 ms
 *  3. sha256 throughput of runr's sha256File vs `sha256sum` on 20 × 10 MB files (page cache warm,
 *     median of 3);                                                           target ≥ 0.9×
 * Run with `npm run bench` (builds first). Prints a table; exits non-zero only if something broke.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'runr.js');
const { sha256File } = await import(path.join(root, 'dist', 'store', 'hash.js'));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function timed(cmd, args, opts = {}) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  const ms = performance.now() - t0;
  if (r.error) throw r.error;
  return { ms, r };
}

function must(cmd, args, opts) {
  const { ms, r } = timed(cmd, args, opts);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

function tempRepo(prefix) {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  spawnSync('git', ['init', '-q', dir]);
  return dir;
}

function writeJson(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

// ── 1. start time ────────────────────────────────────────────────────────────────────────────
function benchStart() {
  const repo = tempRepo('runr-bench-start-');
  writeJson(path.join(repo, '.runr', 'contracts', 'T.contract.json'), { gate: 'T', name: 'Trivial', validations: [] });
  writeJson(path.join(repo, '.runr', 'workflows', 'w.json'), { workflow: 'w', gates: [{ gate: 'T', name: 'Trivial', contract: '.runr/contracts/T.contract.json' }] });
  for (let i = 0; i < 50; i++) must(process.execPath, [bin, 'run', 'start', '--workflow', 'w', '--slug', `run-${i}`, '--artifact-path', 'out', '--json'], { cwd: repo });
  const cases = {
    node: [process.execPath, ['-e', '0']],
    version: [process.execPath, [bin, '--version']],
    list: [process.execPath, [bin, 'run', 'list']],
  };
  const samples = { node: [], version: [], list: [] };
  const N = 21;
  for (let i = 0; i < N + 2; i++) {
    for (const [k, [cmd, args]] of Object.entries(cases)) {
      const ms = must(cmd, args, { cwd: repo });
      if (i >= 2) samples[k].push(ms); // two warm-up rounds
    }
  }
  const listed = timed(process.execPath, [bin, 'run', 'list', '--json'], { cwd: repo }).r;
  const count = JSON.parse(listed.stdout).runs.length;
  fs.rmSync(repo, { recursive: true, force: true });
  return { node: median(samples.node), version: median(samples.version), list: median(samples.list), count, n: N };
}

// ── 2. engine overhead per gate ──────────────────────────────────────────────────────────────
function benchGates() {
  const repo = tempRepo('runr-bench-gates-');
  const GATES = 100;
  writeJson(path.join(repo, '.runr', 'contracts', 'trivial.contract.json'), { gate: 'T', name: 'Trivial', blocking: true, validations: [] });
  const gates = Array.from({ length: GATES }, (_, i) => ({ gate: `G${i + 1}`, name: `Gate ${i + 1}`, contract: '.runr/contracts/trivial.contract.json', executor: 'command', command: ['true'] }));
  writeJson(path.join(repo, '.runr', 'workflows', 'hundred.json'), { workflow: 'hundred', gates });
  const runs = [];
  const trues = [];
  for (let i = 0; i < 3; i++) {
    const { ms, r } = timed(process.execPath, [bin, 'run', 'hundred', '--slug', `b${i}`, '--artifact-path', 'out', '--json'], { cwd: repo });
    if (r.status !== 0) throw new Error(`runr run hundred exited ${r.status}: ${r.stderr.slice(-2000)}`);
    const out = JSON.parse(r.stdout);
    if (out.status !== 'PASSED' || out.gates.length !== GATES) throw new Error(`unexpected result: ${out.status}`);
    runs.push(ms);
    let t = 0;
    for (let j = 0; j < GATES; j++) t += must('true', [], { cwd: repo });
    trues.push(t / GATES);
  }
  fs.rmSync(repo, { recursive: true, force: true });
  const run = median(runs);
  const spawnTrue = median(trues);
  return { gates: GATES, run, spawnTrue, perGate: (run - GATES * spawnTrue) / GATES };
}

// ── 3. sha256 throughput ─────────────────────────────────────────────────────────────────────
async function benchHash() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runr-bench-hash-'));
  const FILES = 20;
  const SIZE = 10 << 20;
  const files = [];
  for (let i = 0; i < FILES; i++) {
    const f = path.join(dir, `f${i}.bin`);
    fs.writeFileSync(f, crypto.randomBytes(SIZE));
    files.push(f);
  }
  const runrHash = async () => {
    const t0 = performance.now();
    const out = [];
    for (const f of files) out.push(await sha256File(f));
    return { ms: performance.now() - t0, out };
  };
  const sumHash = () => {
    const { ms, r } = timed('sha256sum', files);
    if (r.status !== 0) throw new Error(`sha256sum failed: ${r.stderr}`);
    return { ms, out: r.stdout.trim().split('\n').map((l) => l.split(/\s+/)[0]) };
  };
  const warm = await runrHash(); // also warms the page cache
  const ref = sumHash();
  if (warm.out.join() !== ref.out.join()) throw new Error('sha256File and sha256sum disagree');
  const a = [];
  const b = [];
  for (let i = 0; i < 3; i++) {
    a.push((await runrHash()).ms);
    b.push(sumHash().ms);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const mb = (FILES * SIZE) / (1 << 20);
  return { mb, runr: mb / (median(a) / 1000), sum: mb / (median(b) / 1000) };
}

// ── report ───────────────────────────────────────────────────────────────────────────────────
const fmt = (x, d = 1) => x.toFixed(d);
const verdict = (ok) => (ok ? 'ok' : 'MISS');

console.log(`foundation bench — node ${process.version}, ${os.cpus().length} cpu(s), ${os.platform()}`);
const s = benchStart();
const g = benchGates();
const h = await benchHash();
const rows = [
  ['metric', 'value', 'baseline', 'ratio', 'target', ''],
  ['start: runr --version', `${fmt(s.version)} ms`, `node -e 0: ${fmt(s.node)} ms`, `${fmt(s.version / s.node, 2)}×`, '≤ 1.5×', verdict(s.version / s.node <= 1.5)],
  [`start: runr run list (${s.count} runs)`, `${fmt(s.list)} ms`, `node -e 0: ${fmt(s.node)} ms`, `${fmt(s.list / s.node, 2)}×`, '≤ 1.5×', verdict(s.list / s.node <= 1.5)],
  [`gate overhead (${g.gates} command gates)`, `${fmt(g.perGate, 2)} ms/gate`, `spawn true: ${fmt(g.spawnTrue, 2)} ms`, `run ${fmt(g.run / 1000, 2)} s`, '≤ 15 ms', verdict(g.perGate <= 15)],
  [`sha256 (${h.mb} MB, 20 files)`, `${fmt(h.runr, 0)} MB/s`, `sha256sum: ${fmt(h.sum, 0)} MB/s`, `${fmt(h.runr / h.sum, 2)}×`, '≥ 0.9×', verdict(h.runr / h.sum >= 0.9)],
];
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd());
console.log(`(start: median of ${s.n} interleaved runs after 2 warm-ups; gates: median of 3 runs, fsync on; sha256: median of 3, page cache warm)`);
