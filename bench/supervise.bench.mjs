/**
 * Supervision benchmark (issue 8, "Measure"). Every figure is compared with a baseline measured in
 * the same run, on the same run and at the same time:
 *  1. Notice latency: from the journal's terminal event (the `ts` of the last checkpoint) to
 *     `runr wait <id> --for terminal` having exited. Baselines watching the same journal at the
 *     same moment: a bare `node -e` that fs.watch-es the file (the floor: one process noticing one
 *     append), and a 5 s poll of the file (the operator guide's watch "polls run status every 5
 *     seconds"). Target ≤ 0.5 s.
 *  3. Idle CPU: utime+stime (/proc/<pid>/stat) of a `runr watch <id> --json` following a run whose
 *     worker is busy and silent, over SUPERVISE_BENCH_IDLE_S seconds (default 10; the figure
 *     is 30: `SUPERVISE_BENCH_IDLE_S=30 npm run bench -- supervise`). Baselines over the same
 *     window: an idle bare `node` process, and a loop running `runr status <id> --json` every 5 s
 *     (the guide's polling watch; its children's CPU counted through cutime+cstime).
 *  2. Detach: wall time of `runr run --task … --worktree --json` (returns once the run exists and
 *     is locked, the run going on in a detached supervisor), against `runr --version` (CLI start).
 * SUPERVISE_BENCH_RUNS (default 5) runs for 1 and 2. Linux only (/proc).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'runr.js');
const RUNS = Number(process.env.SUPERVISE_BENCH_RUNS ?? 5);
const IDLE_S = Number(process.env.SUPERVISE_BENCH_IDLE_S ?? 10);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (x) => `${x.toFixed(0)} ms`;
const ratio = (a, b) => (b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a (baseline measured 0)');
const sleep = (t) => new Promise((r) => setTimeout(r, t));

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r;
}

function put(dir, rel, text) {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), typeof text === 'string' ? text : `${JSON.stringify(text, null, 2)}\n`);
}

const dirs = [];
const children = [];
function taskRepo(m2SleepMs) {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'runr-bench-sup-')));
  dirs.push(dir);
  const g = (...a) => run('git', a, { cwd: dir });
  g('init', '-q');
  g('config', 'user.email', 'bench@runr.local');
  g('config', 'user.name', 'bench');
  put(dir, 'README.md', '# bench\n');
  put(dir, '.gitignore', '.runr/runs/*/logs/\n.runr/worktrees/\n');
  put(dir, '.runr/runr.config.json', { scope: { allowlist: ['src/**'] }, verification: { tier0: ['true'] }, workers: { scripted: { adapter: 'scripted', script: '.runr/script.json' } } });
  put(dir, '.runr/script.json', {
    plan: { milestones: [{ goal: 'a', files_expected: ['src/a.ts'], risk_level: 'low' }, { goal: 'b', files_expected: ['src/b.ts'], risk_level: 'low' }] },
    milestones: { m1: { implement: [{ write: { 'src/a.ts': 'export const a = 1;\n' } }] }, m2: { implement: [{ sleep_ms: m2SleepMs, write: { 'src/b.ts': 'export const b = 1;\n' } }] } },
  });
  put(dir, '.runr/tasks/t.md', '# Bench\n\n## Goal\nTwo files\n\n## Requirements\n- a and b\n\n## Success Criteria\n- verification passes\n');
  g('add', '-A');
  g('commit', '-q', '-m', 'init');
  return dir;
}

function startDetached(dir) {
  const t0 = performance.now();
  const r = run(process.execPath, [bin, 'run', '--task', '.runr/tasks/t.md', '--worktree', '--json'], { cwd: dir });
  const t = performance.now() - t0;
  return { t, id: JSON.parse(r.stdout).run_id };
}

const journalOf = (dir, id) => path.join(dir, '.runr', 'runs', id, 'record', 'events.jsonl');
const lockOf = (dir, id) => path.join(dir, '.runr', 'runs', id, 'logs', 'run.lock');

/**
 * The `ts` (epoch ms) of the event that ended the run: a completed task run's last event is the
 * checkpoint of its last milestone (the 2nd here; a stopped run would end with task.stopped).
 */
function terminalTs(file) {
  const events = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const end = events.filter((e) => e.type === 'task.checkpointed').at(1);
  if (end === undefined) throw new Error(`no second task.checkpointed in ${file}`);
  return Date.parse(end.ts);
}

/** A bare watcher: exits once the journal holds the run's last (2nd) checkpoint (fs.watch, or a poll every 5 s). */
const WATCHER = `
const fs = require('node:fs');
const [file, mode] = process.argv.slice(1);
const has = () => { try { return (fs.readFileSync(file, 'utf8').match(/"type":"task\\.checkpointed"/g) || []).length >= 2; } catch { return false; } };
if (has()) process.exit(0);
if (mode === 'watch') fs.watch(file, () => { if (has()) process.exit(0); });
else setInterval(() => { if (has()) process.exit(0); }, 5000);
`;

/** Start a process; resolves to the wall-clock time (epoch ms) it exited. */
function exitTime(cmd, args, opts) {
  const child = spawn(cmd, args, { stdio: 'ignore', ...opts });
  children.push(child);
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} ${args[0] === '-e' ? '-e <watcher>' : args.join(' ')} did not exit within 120 s`));
    }, 120_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(t);
      if (code === 0) resolve(Date.now());
      else reject(new Error(`${cmd} ${args.join(' ')} exited ${code}`));
    });
  });
}

function cpuTicks(pid, withChildren = false) {
  const rest = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = rest.slice(rest.lastIndexOf(')') + 2).split(' ').map(Number);
  // fields 14–17 of proc(5) (utime, stime, cutime, cstime) are indexes 11–14 after the command.
  return f[11] + f[12] + (withChildren ? f[13] + f[14] : 0);
}

function killRun(dir) {
  const runs = path.join(dir, '.runr', 'runs');
  if (!fs.existsSync(runs)) return;
  for (const id of fs.readdirSync(runs).filter((n) => n.startsWith('run_'))) {
    for (const f of ['run.lock', 'worker.pid']) {
      try {
        const pid = JSON.parse(fs.readFileSync(path.join(runs, id, 'logs', f), 'utf8')).pid;
        for (const target of [-pid, pid]) {
          try {
            process.kill(target, 'SIGKILL');
          } catch {
            // gone
          }
        }
      } catch {
        // not running
      }
    }
  }
}

function cleanup() {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs) killRun(d);
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
}

async function latency() {
  const waitLat = [];
  const watchLat = [];
  const pollLat = [];
  const detach = [];
  const version = [];
  for (let i = 0; i < RUNS; i += 1) {
    const t0 = performance.now();
    run(process.execPath, [bin, '--version']);
    version.push(performance.now() - t0);
    const dir = taskRepo(3000);
    const { t, id } = startDetached(dir);
    detach.push(t);
    const file = journalOf(dir, id);
    const [w, b, p] = await Promise.all([
      exitTime(process.execPath, [bin, 'wait', id, '--for', 'terminal'], { cwd: dir }),
      exitTime(process.execPath, ['-e', WATCHER, file, 'watch'], { cwd: dir }),
      exitTime(process.execPath, ['-e', WATCHER, file, 'poll'], { cwd: dir }),
    ]);
    const ts = terminalTs(file);
    waitLat.push(w - ts);
    watchLat.push(b - ts);
    pollLat.push(p - ts);
    killRun(dir);
  }
  console.log(`1. terminal event → exited (median of ${RUNS} runs, the three watching the same journal at once)`);
  console.log(`   runr wait --for terminal      ${ms(median(waitLat))}   (all: ${waitLat.map((x) => x.toFixed(0)).join(', ')} ms)`);
  console.log(`   bare node fs.watch (floor)    ${ms(median(watchLat))}   → wait is ${ratio(median(waitLat), median(watchLat))} the floor, ${ms(median(waitLat) - median(watchLat))} above it`);
  console.log(`   5 s poll (the guide's watch)  ${ms(median(pollLat))}   → wait takes ${ratio(median(waitLat), median(pollLat))} the poll's time`);
  console.log(`   target ≤ 500 ms: ${median(waitLat) <= 500 ? 'met' : 'NOT met'}`);
  console.log(`2. run --task --worktree --json returns in ${ms(median(detach))} (median), ${ratio(median(detach), median(version))} a bare \`runr --version\` (${ms(median(version))})`);
}

async function idleCpu() {
  const dir = taskRepo(3_600_000);
  const { id } = startDetached(dir);
  // The run sits in m2's IMPLEMENT (a silent worker for an hour): watch has nothing to report.
  const watch = spawn(process.execPath, [bin, 'watch', id, '--json'], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
  children.push(watch);
  let out = '';
  watch.stdout.on('data', (c) => (out += c.toString()));
  const idle = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' });
  children.push(idle);
  const statusArgs = JSON.stringify([bin, 'status', id, '--json']);
  const poll = spawn(process.execPath, ['-e', `const { spawnSync } = require('node:child_process'); const tick = () => spawnSync(process.execPath, ${statusArgs}, { stdio: 'ignore' }); setInterval(tick, 5000);`], { cwd: dir, stdio: 'ignore' });
  children.push(poll);
  // Start the window once the run sits in milestone 2's IMPLEMENT and watch has reported it.
  const record = path.join(dir, '.runr', 'runs', id, 'record', 'RUN.json');
  const inM2 = () => {
    try {
      const r = JSON.parse(fs.readFileSync(record, 'utf8'));
      return r.phase === 'IMPLEMENT' && r.task?.engine?.milestone_index === 1;
    } catch {
      return false;
    }
  };
  for (let i = 0; i < 1200 && !(inM2() && out.includes('"phase":"IMPLEMENT"')); i += 1) await sleep(50);
  if (!inM2() || !fs.existsSync(lockOf(dir, id))) throw new Error('the idle run is not in milestone 2 IMPLEMENT');
  await sleep(500);
  const before = { watch: cpuTicks(watch.pid), idle: cpuTicks(idle.pid), poll: cpuTicks(poll.pid, true) };
  await sleep(IDLE_S * 1000);
  const after = { watch: cpuTicks(watch.pid), idle: cpuTicks(idle.pid), poll: cpuTicks(poll.pid, true) };
  const hz = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
  const cpu = (k) => ((after[k] - before[k]) * 1000) / hz;
  console.log(`3. idle CPU over ${IDLE_S} s (utime+stime, ${1000 / hz} ms ticks)`);
  console.log(`   runr watch (idle)                     ${ms(cpu('watch'))}  (${((cpu('watch') / (IDLE_S * 1000)) * 100).toFixed(3)} % of one core)`);
  console.log(`   bare idle node                        ${ms(cpu('idle'))}  → watch/bare: ${ratio(cpu('watch'), cpu('idle'))}`);
  console.log(`   runr status every 5 s (guide's watch) ${ms(cpu('poll'))}  → watch/poll: ${ratio(cpu('watch'), cpu('poll'))}`);
  if (watch.exitCode !== null) throw new Error(`runr watch exited ${watch.exitCode} during the idle window`);
}

for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => (cleanup(), process.exit(130)));
try {
  await latency();
  await idleCpu();
} finally {
  cleanup();
}
