/**
 * Takeover resumes after the last checkpoint, on a real PostgreSQL and a real Redis: worker A
 * pushes the run's first checkpoint (fenced, with the record so far), then dies with its run
 * (kill -9 of the worker and the run's process group: a machine gone). Worker B takes the run over
 * once A's lease has lapsed and continues from that checkpoint: m1 is not done again (its commit is
 * the one A pushed), m2 is done once, one outcome, the record shows the resume and passes audit.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runrBin } from '../helpers/cli.js';
import { parseQueueUrl } from '../../src/core/queue/url.js';
import { openPgRegistry } from '../../src/queue/registry-pg.js';
import { openRedisRegistry } from '../../src/queue/registry-redis.js';
import { snapshotRunDir } from '../../src/queue/run-state.js';
import { checkpointCommits, events, groupAlive, json, makeQueueRepo, runGroup, runrIn, servicesAvailable, sh, startWorker, twoStepScript, until, useQueueServers } from './helpers.js';

const avail = servicesAvailable();
const LEASE = ['--lock-duration', '3000', '--stalled-interval', '1500', '--heartbeat', '300'];

describe.skipIf(!avail.ok).each(['postgres', 'redis'] as const)('takeover on %s', (backend) => {
  const qs = useQueueServers(backend, 'SIGKILL');
  const { repos, workers, base } = qs;

  it('a run whose worker died is taken over and continues after its last checkpoint', async () => {
    const repo = makeQueueRepo({ script: twoStepScript(200, 20_000) });
    repos.push(repo);
    const q = `${base()}?queue=resume`;
    const id = 'run_20260101T000000000Z_task_resum1';
    json(runrIn(repo.dir, ['submit', '--task', '.runr/tasks/task.md', '--queue', q, '--id', id, '--json']));
    const a = startWorker({ workDir: repo.workDir, repo: repo.remote, queue: q, name: 'ra', args: LEASE });
    workers.push(a);
    const cp = await until('attempt 1 to push its first checkpoint', async () => {
      const r = await qs.reg.row(id);
      return r?.checkpoint && r.attempt === 1 ? r.checkpoint : null;
    }, 180_000, 200);
    // The checkpoint is on the shared remote, under the registry's sha, holding m1.
    expect(sh(repo.remote, ['rev-parse', `refs/heads/runr/${id}`]).trim()).toBe(cp.branch_sha);
    const m1 = checkpointCommits(repo.remote, `runr/${id}`);
    expect(m1.map((c) => c.milestone)).toEqual(['m1']);
    expect(Object.keys(cp.files)).toContain('record/events.jsonl');

    // The machine dies: the worker and its run, at once.
    const pgid = runGroup(id);
    a.child.kill('SIGKILL');
    if (pgid !== null) process.kill(-pgid, 'SIGKILL');
    const tDead = Date.now();
    await until('the run process to be gone', () => pgid === null || !groupAlive(pgid));
    const b = startWorker({ workDir: repo.workDir, repo: repo.remote, queue: q, name: 'rb', args: LEASE });
    workers.push(b);
    await until('worker B to take the run over (attempt 2)', async () => (await qs.reg.row(id))?.attempt === 2, 120_000, 100);
    const takeoverMs = Date.now() - tDead;
    await until('worker B to resume it', () => events(b).some((e) => e.type === 'resumed' && e.run_id === id), 60_000);
    const waited = runrIn(repo.dir, ['queue', 'wait', id, '--queue', q, '--timeout', '240', '--json'], { timeoutMs: 300_000 });
    expect(waited.status, waited.stdout + waited.stderr).toBe(0);
    const row = (await qs.reg.row(id))!;
    expect(row).toMatchObject({ status: 'succeeded', attempt: 2, worker: 'rb' });
    expect((await qs.reg.terminalCounts()).get(id)).toBe(1);
    process.stderr.write(`takeover (${backend}): attempt 2 claimed ${takeoverMs} ms after the worker died (lockDuration 3000 + stalledInterval 1500)\n`);

    // m1 is A's commit, not redone; m2 once; then the record.
    sh(repo.dir, ['fetch', '-q', 'origin']);
    const commits = checkpointCommits(repo.dir, `origin/runr/${id}`).filter((c) => c.milestone !== '');
    expect(commits.map((c) => c.milestone).sort()).toEqual(['m1', 'm2']);
    expect(commits.find((c) => c.milestone === 'm1')!.sha).toBe(m1[0]!.sha);
    expect(sh(repo.dir, ['log', '-1', '--format=%(trailers:key=Runr-Attempt,valueonly)', `origin/runr/${id}`]).trim()).toBe('2');

    // The record came home (wait synced it): it shows the resumed session and passes audit.
    const st = json(runrIn(repo.dir, ['status', id, '--json']));
    expect(st).toMatchObject({ run_id: id, status: 'PASSED', stop_reason: 'complete' });
    const journal = sh(repo.dir, ['show', `origin/runr/${id}:.runr/runs/${id}/record/events.jsonl`]);
    expect(journal).toContain('"task.resumed"');
    const audit = runrIn(repo.dir, ['audit', id]);
    expect(audit.status, audit.stdout + audit.stderr).toBe(0);
    await b.stop();
  }, 600_000);

  it('a run whose checkpointed record already ended is not resumed: its end is the outcome', async () => {
    // Attempt 1 (a stand-in for a worker: the worker's own run process, `queue-exec`, in a clone)
    // runs the whole run, pushes its branch and checkpoints the ended record, then is gone before
    // it writes the outcome — as when a worker loses its lease right after its run ended.
    const repo = makeQueueRepo();
    qs.repos.push(repo);
    const q = `${base()}?queue=resume`;
    const id = 'run_20260101T000000000Z_task_resum2';
    json(runrIn(repo.dir, ['submit', '--task', '.runr/tasks/task.md', '--queue', q, '--id', id, '--json']));
    const target = parseQueueUrl(q);
    const registry = target.backend === 'postgres' ? openPgRegistry(target.url, target.queue) : openRedisRegistry(target);
    await registry.init();
    try {
      const claim = await registry.claim(id, 'ghost');
      expect(claim).toMatchObject({ kind: 'claimed', attempt: 1 });
      const clone = path.join(repo.workDir, 'ghost');
      sh(repo.workDir, ['clone', '-q', repo.remote, clone]);
      sh(clone, ['checkout', '-q', '--detach', sh(repo.dir, ['rev-parse', 'HEAD']).trim()]);
      const resultFile = path.join(repo.workDir, 'ghost.result.json');
      fs.writeFileSync(`${resultFile}.args.json`, JSON.stringify({ cwd: clone, run_id: id, task_file: '.runr/tasks/task.md', fast: true, allow_deps: false, max_ticks: null, time_min: null, result_file: resultFile, resume: false }));
      const exec = spawnSync(process.execPath, [runrBin, 'queue-exec', `${resultFile}.args.json`], { cwd: clone, encoding: 'utf8', timeout: 300_000 });
      const result = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as { run_dir: string; reason: string | null };
      expect(result.reason, exec.stderr).toBe('complete');
      const tip = sh(clone, ['rev-parse', `refs/heads/runr/${id}`]).trim();
      sh(clone, ['push', '-q', 'origin', `${tip}:refs/heads/runr/${id}`]);
      const cp = await registry.checkpoint(id, 1, 'ghost', () => Promise.resolve({ v: 1 as const, attempt: 1, branch_sha: tip, runs_dir: path.relative(clone, path.dirname(result.run_dir)), files: snapshotRunDir(result.run_dir) }));
      expect(cp.ok).toBe(true);

      // Attempt 2 restores that record: it shows the run complete, so the outcome is `succeeded`
      // (not a failed resume), the record is committed on the checkpointed branch, and it audits.
      const b = startWorker({ workDir: repo.workDir, repo: repo.remote, queue: q, name: 'rc', args: LEASE });
      workers.push(b);
      const waited = runrIn(repo.dir, ['queue', 'wait', id, '--queue', q, '--timeout', '240', '--json'], { timeoutMs: 300_000 });
      expect(waited.status, waited.stdout + waited.stderr).toBe(0);
      expect(await qs.reg.row(id)).toMatchObject({ status: 'succeeded', attempt: 2, worker: 'rc' });
      expect((await qs.reg.terminalCounts()).get(id)).toBe(1);
      sh(repo.dir, ['fetch', '-q', 'origin']);
      expect(checkpointCommits(repo.dir, `origin/runr/${id}`).filter((c) => c.milestone !== '').map((c) => c.milestone)).toEqual(['m1']);
      expect(sh(repo.dir, ['rev-parse', `origin/runr/${id}~1`]).trim()).toBe(tip);
      expect(json(runrIn(repo.dir, ['status', id, '--json']))).toMatchObject({ run_id: id, status: 'PASSED', stop_reason: 'complete' });
      const audit = runrIn(repo.dir, ['audit', id]);
      expect(audit.status, audit.stdout + audit.stderr).toBe(0);
      await b.stop();
    } finally {
      await registry.close();
    }
  }, 600_000);
});
