/**
 * Queue overhead: runr's submit → worker → outcome against BullMQ's own empty jobs, on the same
 * throwaway PostgreSQL (scripts/services.sh) in the same run. Reports, at 1, 4 and 16 workers:
 *   - submit-to-start latency of one run with an idle worker (registry submitted_at → started_at),
 *     and BullMQ's add-to-processor latency;
 *   - throughput (runs/s) of no-op task runs (`--fast`, a scripted worker that writes one file),
 *     and BullMQ's empty-job throughput; runr's cost per run as a ratio.
 * Needs PostgreSQL (installed, or root to install it); skipped with a message otherwise.
 * RUNR_BENCH_QUEUE_RUNS (default 12) runs per concurrency level.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue, Worker, createPostgresBackend } from 'bullmq';
import pg from 'pg';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const bin = path.join(root, 'bin', 'runr.js');
const RUNS = Number(process.env.RUNR_BENCH_QUEUE_RUNS ?? 12);
const LEVELS = [1, 4, 16];

const up = spawnSync('bash', [path.join(root, 'scripts/services.sh'), 'up', 'pg'], { encoding: 'utf8' });
if (up.status !== 0) {
  console.log(`queue bench skipped: ${up.stderr.trim().split('\n').pop()}`);
  process.exit(0);
}
const vars = Object.fromEntries(up.stdout.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
const url = vars.DATABASE_URL;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'runr-qbench-'));
const git = (cwd, ...args) => {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@b', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@b' } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
};
const write = (dir, rel, text) => {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), typeof text === 'string' ? text : JSON.stringify(text, null, 2));
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function bullBaseline(conc, n) {
  const conn = { connection: { connectionString: url, migrate: true } };
  const name = `base${conc}`;
  const q = new Queue(name, conn, createPostgresBackend);
  let done = 0;
  let firstStart = 0;
  const w = new Worker(name, async () => {
    if (firstStart === 0) firstStart = performance.now();
    done += 1;
  }, { ...conn, concurrency: conc }, createPostgresBackend);
  await w.waitUntilReady();
  await sleep(300);
  const tLat = performance.now();
  await q.add('x', {});
  while (done < 1) await sleep(2);
  const latency = firstStart - tLat;
  await q.addBulk(Array.from({ length: n * 10 }, () => ({ name: 'x', data: {} })));
  const t0 = performance.now();
  while (done < 1 + n * 10) await sleep(5);
  const tput = (n * 10) / ((performance.now() - t0) / 1000);
  await w.close();
  await q.close();
  return { latency_ms: latency, per_s: tput };
}

function makeRepo() {
  const remote = path.join(tmp, 'remote.git');
  const dir = path.join(tmp, 'repo');
  fs.mkdirSync(remote);
  git(remote, 'init', '-q', '--bare');
  git(tmp, 'init', '-q', dir);
  write(dir, 'README.md', '# bench\n');
  write(dir, '.gitignore', '.runr/runs/*/logs/\n.runr/worktrees/\n.runr/worker/\n');
  write(dir, '.runr/runr.config.json', { agent: { name: 'b', version: '1' }, scope: { allowlist: ['src/**'] }, verification: { tier0: ['true'] }, workers: { s: { adapter: 'scripted', script: '.runr/script.json' } }, phases: { plan: 's', implement: 's', review: 's' } });
  write(dir, '.runr/script.json', { milestones: { m1: { implement: [{ write: { 'src/a.ts': 'export const a = 1;\n' } }] } } });
  write(dir, '.runr/tasks/noop.md', '# No-op\n\n## Goal\nWrite src/a.ts\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'init');
  git(dir, 'remote', 'add', 'origin', remote);
  git(dir, 'push', '-q', 'origin', 'HEAD:refs/heads/main');
  git(dir, 'fetch', '-q', 'origin');
  return { dir, remote };
}

async function runrLevel(repo, pool, conc, n) {
  const queue = `${url}?queue=lvl${conc}`;
  const w = spawn(process.execPath, [bin, 'worker', '--queue', queue, '--repo', repo.remote, '--dir', path.join(tmp, `w${conc}`), '--concurrency', String(conc), '--name', `bench${conc}`], { cwd: repo.dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let ready = false;
  w.stderr.on('data', (c) => {
    if (String(c).includes('ready')) ready = true;
  });
  while (!ready) await sleep(20);
  const submit = () => {
    const r = spawnSync(process.execPath, [bin, 'submit', '--task', '.runr/tasks/noop.md', '--fast', '--queue', queue, '--json'], { cwd: repo.dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout).run_id;
  };
  const finished = async (ids) => {
    const r = await pool.query("SELECT count(*)::int AS n FROM runr.runs WHERE run_id = ANY($1) AND status IN ('succeeded','stopped','failed','canceled')", [ids]);
    return r.rows[0].n;
  };
  // Latency: one run, idle worker.
  const first = submit();
  while ((await finished([first])) < 1) await sleep(20);
  const lat = (await pool.query('SELECT extract(epoch FROM started_at - submitted_at) * 1000 AS ms FROM runr.runs WHERE run_id = $1', [first])).rows[0].ms;
  // Throughput: submit n while the worker runs them.
  const t0 = performance.now();
  const ids = [];
  for (let i = 0; i < n; i++) ids.push(submit());
  while ((await finished(ids)) < n) await sleep(50);
  const tput = n / ((performance.now() - t0) / 1000);
  const statuses = (await pool.query('SELECT status, count(*)::int AS n FROM runr.runs WHERE run_id = ANY($1) GROUP BY status', [ids])).rows;
  w.kill('SIGTERM');
  await new Promise((r) => w.on('exit', r));
  return { latency_ms: Number(lat), per_s: tput, statuses };
}

try {
  const repo = makeRepo();
  const pool = new pg.Pool({ connectionString: url });
  const rows = [];
  for (const c of LEVELS) {
    const base = await bullBaseline(c, RUNS);
    const mine = await runrLevel(repo, pool, c, RUNS);
    rows.push({ workers: c, bull_latency_ms: base.latency_ms.toFixed(1), runr_latency_ms: mine.latency_ms.toFixed(1), bull_jobs_per_s: base.per_s.toFixed(1), runr_runs_per_s: mine.per_s.toFixed(2), cost_ratio: (base.per_s / mine.per_s).toFixed(0), outcomes: mine.statuses.map((s) => `${s.status}:${s.n}`).join(' ') });
  }
  await pool.end();
  console.log(`queue bench on PostgreSQL, ${RUNS} runs per level (runr runs are full task runs: process, worktree, checkpoint, record commit, push; BullMQ jobs are empty)`);
  console.table(rows);
} finally {
  spawnSync('bash', [path.join(root, 'scripts/services.sh'), 'down', vars.SVC_DIR]);
  fs.rmSync(tmp, { recursive: true, force: true });
}
