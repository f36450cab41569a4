/**
 * Submits while PostgreSQL restarts (docs/scale-out.md, "Proven under faults": the full chaos run's
 * submitter queued 8 runs and then nothing). BullMQ 6.7 memoized a Queue's first contact with the
 * server: one that fell in a restart left the Queue failing every `add` for good. Now:
 *
 * - a backend made while the server is down enqueues once it is up (the defect, deterministically);
 * - `runr submit` in a loop while the server restarts every few seconds: every submit either
 *   succeeds or exits 1 with one line naming the server (no hang, no stack), and a second submit
 *   of each failed id succeeds; a long-lived in-process backend across the same restarts does the
 *   same; afterwards every id has its registry row and exactly one BullMQ job.
 *
 * Real PostgreSQL (scripts/services.sh), the built CLI.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';
import { makeRunId } from '../../src/core/ids.js';
import { parseQueueUrl } from '../../src/core/queue/url.js';
import { BullBackend } from '../../src/queue/bullmq.js';
import { openQueue } from '../../src/queue/open.js';
import { openPgRegistry } from '../../src/queue/registry-pg.js';
import { submitRun } from '../../src/queue/submit.js';
import type { QueueRepo, Services } from './helpers.js';
import { makeQueueRepo, runrBg, servicesAvailable, startServices } from './helpers.js';

const avail = servicesAvailable();
/** A submit that neither returns nor fails within this has hung (the defect's symptom). */
const HANG_MS = 150_000;

/** `scripts/services.sh <cmd> <dir>` without blocking the test's event loop. */
function services(cmd: string, dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = spawn('bash', [path.join(repoRoot, 'scripts/services.sh'), cmd, dir], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    c.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    c.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`services.sh ${cmd}: ${err}`))));
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
let serial = 0;
const newId = (): string => makeRunId('restart', new Date(), () => (++serial).toString(36).padStart(6, '0'));

describe.skipIf(!avail.ok)('submits while PostgreSQL restarts', () => {
  let svc: Services | undefined;
  let repo: QueueRepo | undefined;
  beforeAll(() => {
    svc = startServices('pg');
    repo = makeQueueRepo({});
  }, 600_000);
  afterAll(() => {
    repo?.cleanup();
    svc?.down();
  });
  const url = (queue: string): string => `${svc!.DATABASE_URL!}?queue=${queue}`;

  it('a backend made while the server is down enqueues once the server is back', async () => {
    const target = parseQueueUrl(url('downfirst'));
    const first = await openQueue(url('downfirst')); // the registry's schema exists
    await first.close();
    await services('stop-pg', svc!.dir);
    const backend = new BullBackend(target, openPgRegistry(target.url, target.queue));
    const starting = sleep(1500).then(() => services('start-pg', svc!.dir));
    try {
      const payload = { v: 1 as const, run_id: newId(), kind: 'task' as const, base_commit: 'a'.repeat(40), submitted_by: 't@t', task: { file: '.runr/tasks/task.md', text: 'x' }, fast: true, allow_deps: false, max_ticks: null, time_min: null };
      await backend.enqueue(payload, null); // tried again while the server is away
      await starting;
      expect((await backend.counts()).waiting).toBe(1);
    } finally {
      await starting; // the server is up for the next test whatever happened
      await backend.close();
    }
  }, 300_000);

  it('every submit succeeds or exits 1 with one line; a retry succeeds; one job per id', async () => {
    const queue = url('restarts');
    const held = await openQueue(queue); // long-lived, as the chaos test's submitter
    let restarting = true;
    let restarts = 0;
    const loop = (async () => {
      while (restarting) {
        await sleep(2500 + (restarts % 3) * 1000);
        if (!restarting) break;
        await services('restart-pg', svc!.dir);
        restarts += 1;
      }
    })();
    const cliIds: string[] = [];
    const cliFailed: Array<{ id: string; stderr: string; stdout: string }> = [];
    const inIds: string[] = [];
    const inFailed: string[] = [];
    const submitCli = async (id: string): Promise<{ status: number | null; stdout: string; stderr: string }> => {
      const c = runrBg(repo!.dir, ['submit', '--task', '.runr/tasks/task.md', '--fast', '--id', id, '--queue', queue, '--json']);
      let hung = false;
      const t = setTimeout(() => {
        hung = true;
        c.child.kill('SIGKILL');
      }, HANG_MS);
      const r = await c.done;
      clearTimeout(t);
      expect(hung, `runr submit --id ${id} hung`).toBe(false);
      return r;
    };
    try {
      const cli = (async () => {
        while (restarts < 6) {
          const id = newId();
          cliIds.push(id);
          const r = await submitCli(id);
          if (r.status === 0) {
            expect(JSON.parse(r.stdout)).toMatchObject({ run_id: id, status: 'queued' });
            continue;
          }
          expect(r.status, r.stderr).toBe(1);
          expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'queue_unavailable' } });
          cliFailed.push({ id, ...r });
        }
      })();
      const inProcess = (async () => {
        while (restarts < 6) {
          const id = newId();
          inIds.push(id);
          const r = await Promise.race([
            submitRun(held, { cwd: repo!.dir, task: '.runr/tasks/task.md', fast: true, allowDeps: false, priority: null, runId: id }).then(
              () => 'ok' as const,
              (err: unknown) => err,
            ),
            sleep(HANG_MS).then(() => 'hung' as const),
          ]);
          expect(r, `in-process submit of ${id}`).not.toBe('hung');
          await sleep(300);
          if (r === 'ok') continue;
          expect(r).toMatchObject({ errorCode: 'queue_unavailable' }); // a StateError (exit 1), not a driver's error
          inFailed.push(id);
        }
      })();
      await Promise.all([cli, inProcess]);
    } finally {
      restarting = false;
      await loop;
    }
    process.stderr.write(`submit-restart: ${restarts} restarts, ${cliIds.length} CLI submits (${cliFailed.length} exited 1), ${inIds.length} in-process (${inFailed.length} failed)\n`);
    for (const f of cliFailed) {
      expect(f.stderr.trim().split('\n'), f.stderr).toHaveLength(1);
      expect(f.stderr).toMatch(/^error: --queue postgres:\/\/.*(PostgreSQL server|cannot reach)/);
      expect(f.stderr).not.toMatch(/\n\s+at /);
    }
    // The server is up for good: a second submit of each id that failed succeeds.
    for (const f of cliFailed) {
      const r = await submitCli(f.id);
      expect(r.status, r.stderr).toBe(0);
    }
    for (const id of inFailed) await submitRun(held, { cwd: repo!.dir, task: '.runr/tasks/task.md', fast: true, allowDeps: false, priority: null, runId: id });
    // The long-lived backend works after the restarts, and every id is queued once.
    const all = [...cliIds, ...inIds];
    const states = await held.registry.states();
    expect(states.map((s) => s.run_id).sort()).toEqual([...all].sort());
    expect(states.every((s) => s.status === 'queued')).toBe(true);
    expect((await held.counts()).waiting).toBe(all.length);
    await held.close();
  }, 900_000);
});
