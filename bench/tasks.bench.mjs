/**
 * Task-run benchmark (issue 4). Figures are medians, with ratios against baselines measured in the
 * same run:
 *  1. A complete 2-milestone `runr run --task … --worktree --json` (PLAN, IMPLEMENT, VERIFY, REVIEW,
 *     CHECKPOINT per milestone) with the scripted worker and trivial verification (`true`), wall
 *     time from spawn to exit, and CPU time (user + system of the child and its children).
 *  2. runr's own bookkeeping (issue 12, Deliver 6; target ≤ 60 ms): the run − bare `node -e 0` −
 *     the same git and verification work done by a shell script (worktree add, per milestone:
 *     write, git status, `true`, git add, git commit), every term measured in the same run (one of
 *     each per round), in wall time and in CPU time.
 *  3. Checkpoint overhead beyond a bare `git add -A && git commit`: runr's checkpoint (git status
 *     -z, scope check, add of the approved paths, commit, HEAD from files) plus its journal append;
 *     target ≤ 30 ms (DESIGN §11).
 * Run with `npm run bench` (builds first).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { childCpu, median } from './lib.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'runr.js');
const RUNS = Number(process.env.TASKS_BENCH_RUNS ?? 9);

const ms = (x) => `${x.toFixed(0)} ms`;


function timed(cmd, args, opts = {}) {
  const c0 = childCpu();
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  const t = performance.now() - t0;
  const c1 = childCpu();
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { t, cpu: c0 === null || c1 === null ? null : c1 - c0, r };
}

const g = (cwd, ...args) => timed('git', args, { cwd });

function put(dir, rel, text) {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), typeof text === 'string' ? text : `${JSON.stringify(text, null, 2)}\n`);
}

function taskRepo() {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'runr-bench-task-')));
  g(dir, 'init', '-q');
  g(dir, 'config', 'user.email', 'bench@runr.local');
  g(dir, 'config', 'user.name', 'bench');
  put(dir, 'README.md', '# bench\n');
  put(dir, '.gitignore', '.runr/runs/*/logs/\n.runr/worktrees/\n');
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
  g(dir, 'add', '-A');
  g(dir, 'commit', '-q', '-m', 'init');
  return dir;
}

/** The git and verification work of a 2-milestone worktree run, done by a shell script. */
function floorScript(dir) {
  return `set -e
cd "${dir}"
git worktree add -q -b floor/$$ .runr/worktrees/floor-$$ HEAD
cd .runr/worktrees/floor-$$
for m in a b; do
  echo "export const $m = 1;" > src-$m.ts
  git status --porcelain=v1 -z --untracked-files=all >/dev/null
  sh -c true
  git add -A -- src-$m.ts
  git commit -q --no-verify -m "m $m"
done
`;
}

// ── 1 + 2: a complete run ────────────────────────────────────────────────────────────────────
const walls = [];
const nodes = [];
const floors = [];
const kpis = [];
const cpus = { run: [], node: [], floor: [] };
for (let i = 0; i < RUNS; i++) {
  const dir = taskRepo();
  const n0 = timed(process.execPath, ['-e', '0']);
  nodes.push(n0.t);
  cpus.node.push(n0.cpu);
  const { t, cpu, r } = timed(process.execPath, [bin, 'run', '--task', '.runr/tasks/t.md', '--worktree', '--json', '--foreground'], { cwd: dir });
  walls.push(t);
  cpus.run.push(cpu);
  const id = JSON.parse(r.stdout).run_id;
  const report = JSON.parse(timed(process.execPath, [bin, 'report', id, '--json'], { cwd: dir }).r.stdout);
  if (report.outcome !== 'complete' || report.milestones.completed !== 2) throw new Error(`bench run did not complete: ${r.stdout}`);
  kpis.push(report);
  const f0 = timed('sh', ['-c', floorScript(dir)]);
  floors.push(f0.t);
  cpus.floor.push(f0.cpu);
  fs.rmSync(dir, { recursive: true, force: true });
}
const wall = median(walls);
const node = median(nodes);
const floor = median(floors);
const bookkeeping = Math.max(0, wall - node - floor);
const hasCpu = Object.values(cpus).every((xs) => xs.every((x) => x !== null));
const cpuOf = (k) => (hasCpu ? median(cpus[k]) : null);
const cpuBookkeeping = hasCpu ? median(cpus.run.map((c, i) => c - cpus.node[i] - cpus.floor[i])) : null;

// ── where the bookkeeping goes: the git processes of one run, counted (untimed) ─────────────
// A `git` first on PATH that logs its arguments and runs the real one; the run and the script each
// once. Most of runr's share is these processes (each costs a process start and a repository read).
function gitCounts(runIt) {
  const real = spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim();
  const shim = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'runr-bench-gitshim-')));
  const log = path.join(shim, 'log');
  fs.writeFileSync(path.join(shim, 'git'), `#!/bin/sh\nprintf '%s\\n' "$*" >> "${log}"\nexec "${real}" "$@"\n`, { mode: 0o755 });
  try {
    runIt({ ...process.env, PATH: `${shim}${path.delimiter}${process.env.PATH ?? ''}` });
    const lines = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter((l) => l !== '') : [];
    const by = {};
    for (const l of lines) {
      const a = l.split(' ');
      let i = 0;
      while (i < a.length && a[i].startsWith('-')) i += a[i] === '-c' || a[i] === '-C' ? 2 : 1;
      by[a[i] ?? '?'] = (by[a[i] ?? '?'] ?? 0) + 1;
    }
    return { total: lines.length, by };
  } finally {
    fs.rmSync(shim, { recursive: true, force: true });
  }
}
const countDir = taskRepo();
const runGit = gitCounts((env) => timed(process.execPath, [bin, 'run', '--task', '.runr/tasks/t.md', '--worktree', '--json', '--foreground'], { cwd: countDir, env }));
const floorGit = gitCounts((env) => timed('sh', ['-c', floorScript(countDir)], { env }));
fs.rmSync(countDir, { recursive: true, force: true });
const gitText = (c) => `${c.total} (${Object.entries(c.by).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ')})`;

// ── 3: checkpoint overhead ──────────────────────────────────────────────────────────────────
const { repoInfo } = await import(path.join(root, 'dist', 'git', 'repo.js'));
const { commitCheckpoint, checkpointMessage } = await import(path.join(root, 'dist', 'git', 'commit.js'));
const { changedPaths, status } = await import(path.join(root, 'dist', 'git', 'status.js'));
const { makeScopeMatcher, checkPaths } = await import(path.join(root, 'dist', 'core', 'tasks', 'scope.js'));
const { TaskConfigSchema } = await import(path.join(root, 'dist', 'core', 'tasks', 'config.js'));
const { openProject } = await import(path.join(root, 'dist', 'store', 'project.js'));
const { storeFor } = await import(path.join(root, 'dist', 'store', 'open-store.js'));

const cpRepo = taskRepo();
const info = await repoInfo(cpRepo);
const matcher = makeScopeMatcher(TaskConfigSchema.parse({ scope: { allowlist: ['src/**'] } }).scope, { allowDeps: false });
const store = storeFor(openProject(cpRepo));
const run = await store.create({ kind: 'task', workflow: { name: 'task', version: '1', slug: 'bench', artifact_path: '' }, depth: 'standard', prompt: null, params: {}, gates: [] });
const bare = [];
const runr = [];
const N = 15;
for (let i = 0; i < N; i++) {
  put(cpRepo, `src/bare-${i}.ts`, `export const x${i} = ${i};\n`);
  bare.push(timed('sh', ['-c', `git add -A -- src/bare-${i}.ts && git commit -q --no-verify -m bare-${i}`], { cwd: cpRepo }).t);
  put(cpRepo, `src/runr-${i}.ts`, `export const y${i} = ${i};\n`);
  const t0 = performance.now();
  const changed = changedPaths(await status(cpRepo, ['.runr/runs', '.runr/worktrees']));
  if (checkPaths(changed, matcher).length !== 0) throw new Error('unexpected violation');
  await commitCheckpoint(cpRepo, { paths: changed, message: checkpointMessage(`runr(m${i}): bench`, '', { run: run.run_id, milestone: `m${i}` }), gitDir: info.gitDir, commonDir: info.commonDir });
  // The journal append that records the checkpoint (same size class as task.checkpointed).
  await store.mutate(run.run_id, () => [{ type: 'run.completed', status: 'RUNNING' }]);
  runr.push(performance.now() - t0);
}
fs.rmSync(cpRepo, { recursive: true, force: true });
const cpBare = median(bare);
const cpRunr = median(runr);

const phases = {};
for (const k of kpis) for (const [p, v] of Object.entries(k.phases)) (phases[p] ??= []).push(v.duration_ms / v.count);

console.log(`task run, 2 milestones, --worktree, scripted worker (median of ${RUNS})`);
const cpuMs = (x) => (x === null ? 'n/a' : ms(x));
console.log(`  load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}; ${os.cpus().length} CPUs            wall        CPU`);
console.log(`  the run (spawn → exit)              ${ms(wall).padStart(8)}   ${cpuMs(cpuOf('run')).padStart(8)}   = ${(wall / (node + floor)).toFixed(2)}× (node start + the script)`);
console.log(`  bare node -e 0                      ${ms(node).padStart(8)}   ${cpuMs(cpuOf('node')).padStart(8)}`);
console.log(`  same git + verify work as a script  ${ms(floor).padStart(8)}   ${cpuMs(cpuOf('floor')).padStart(8)}`);
console.log(`  runr bookkeeping (the rest)         ${ms(bookkeeping).padStart(8)}   ${cpuMs(cpuBookkeeping).padStart(8)}   = ${((bookkeeping / wall) * 100).toFixed(0)}% of wall time   (target ≤ 60 ms)`);
console.log(`  git processes of one run: runr ${gitText(runGit)}; the script ${gitText(floorGit)}`);
console.log(`  per phase execution (median ms)     ${Object.entries(phases).map(([p, v]) => `${p} ${median(v).toFixed(0)}`).join(', ')}`);
console.log(`checkpoint (median of ${N})`);
console.log(`  bare git add + commit               ${cpBare.toFixed(1).padStart(6)} ms`);
console.log(`  runr checkpoint + journal append    ${cpRunr.toFixed(1).padStart(6)} ms   overhead ${(cpRunr - cpBare).toFixed(1)} ms   (target ≤ 30 ms)`);
