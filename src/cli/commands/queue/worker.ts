import path from 'node:path';
import { UserError } from '../../../core/errors.js';
import { gitText } from '../../../git/exec.js';
import type { WorkerEvent } from '../../../queue/worker.js';
import type { CliContext } from '../../context.js';
import { runrBin } from '../../self.js';
import { queueUrl } from './common.js';
import type { WorkerOptions } from './queue-options.js';

function render(e: WorkerEvent): string {
  switch (e.type) {
    case 'ready':
      return `worker ${e.worker} ready (concurrency ${e.concurrency}, lockDuration ${e.lease.lockDurationMs} ms, stalledInterval ${e.lease.stalledIntervalMs} ms)`;
    case 'claimed':
      return `${e.run_id}: attempt ${e.attempt} started`;
    case 'skipped':
      return `${e.run_id}: skipped (${e.status})`;
    case 'canceled':
      return `${e.run_id}: canceled${e.kill_ms !== null ? ` (process group gone in ${e.kill_ms} ms)` : ''}`;
    case 'finished':
      return `${e.run_id}: attempt ${e.attempt} ${e.status}${e.stop_reason ? ` (${e.stop_reason})` : ''}${e.branch_sha ? `, record at ${e.branch_sha.slice(0, 12)}` : ''}`;
    case 'resumed':
      return `${e.run_id}: attempt ${e.attempt} resumes after the checkpoint ${e.from_sha.slice(0, 12)} of attempt ${e.from_attempt}`;
    case 'checkpoint':
      return `${e.run_id}: attempt ${e.attempt} pushed checkpoint ${e.branch_sha.slice(0, 12)}`;
    case 'branch_replaced':
      return `${e.run_id}: attempt ${e.attempt} replaced ${e.replaced.slice(0, 12)} on the run branch (pushed by no current attempt)`;
    case 'fenced':
      return `${e.run_id}: ${e.op} of attempt ${e.attempt} refused (${e.reason}; current attempt ${e.current_attempt ?? '-'})`;
    case 'error':
      return `${e.run_id ?? 'worker'}: ${e.message}`;
  }
}

export async function workerCommand(ctx: CliContext, opts: WorkerOptions): Promise<void> {
  const url = queueUrl(opts);
  const { concurrency, lockDuration: lockDurationMs, stalledInterval: stalledIntervalMs, heartbeat: heartbeatMs } = opts;
  if (opts.drain && opts.force) throw new UserError('--drain and --force exclude each other');
  const { defaultWorkerName, runWorker } = await import('../../../queue/worker.js');
  const name = opts.name ?? defaultWorkerName();
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(name)) throw new UserError(`--name: invalid worker name ${JSON.stringify(name)}`);
  let repo = opts.repo;
  if (repo === undefined) {
    repo = await gitText(['remote', 'get-url', 'origin'], { cwd: ctx.cwd }).catch(() => '');
    if (repo === '') throw new UserError('--repo is required (the current directory has no origin remote)');
  } else if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(repo) && !/^[^/]+@[^:]+:/.test(repo)) {
    repo = path.resolve(ctx.cwd, repo);
  }
  const dir = path.resolve(ctx.cwd, opts.dir ?? path.join('.runr', 'worker', name));
  const { openQueue } = await import('../../../queue/open.js');
  const backend = await openQueue(url);
  try {
    await runWorker({
      backend,
      repo,
      dir,
      name,
      concurrency,
      lease: { lockDurationMs, stalledIntervalMs },
      heartbeatMs,
      childCommand: [process.execPath, runrBin(), 'queue-exec'],
      signal: ctx.signal,
      force: () => opts.force,
      onEvent: (e) => (ctx.json ? ctx.out(JSON.stringify({ at: new Date().toISOString(), ...e })) : ctx.err(`runr worker: ${render(e)}`)),
    });
  } finally {
    await backend.close();
  }
}
