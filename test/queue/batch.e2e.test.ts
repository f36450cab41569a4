/**
 * `runr submit --batch <study> <batch_id>` on a real PostgreSQL (and one case on Redis), with the
 * built CLI and the stand-in extropy: one queued run per variant (submitting again queues nothing),
 * two workers run the variants' stage pipelines in their clones, `wait`/`status` work on the
 * variants' runs, and `queue sync` brings each variant's directory, registry row and record home.
 * The outcome is compared with a local `batch run` of the same batch in a clone of the same commit:
 * the same variants, outcomes and stage statuses, the same registry rows (but the time), the same
 * bytes in every input and result file, the same report; and a local `batch run` afterwards has
 * nothing to do.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PATH_WITH_STANDIN, STUDY, makeStudy, newBatch, st, stJson } from '../studies/helpers.js';
import type { QueueRepo } from './helpers.js';
import { json, runrIn, servicesAvailable, sh, startWorker, until, useQueueServers, withRemote } from './helpers.js';

const avail = servicesAvailable();
/** Workers find the stand-in extropy first on PATH. */
const WRAP = ['env', `PATH=${PATH_WITH_STANDIN}`];

/** A study repository (a batch made and committed) whose origin is a bare repository. */
function studyRepo(batchArgs: string[]): QueueRepo & { batch: string } {
  const dir = makeStudy();
  fs.writeFileSync(path.join(dir, '.gitignore'), '.runr/\nruns/*/batches/*/variants/\n');
  const batch = newBatch(dir, batchArgs);
  sh(dir, ['add', '-A']);
  sh(dir, ['commit', '-q', '-m', 'study and batch']);
  const { remote, workDir } = withRemote(dir);
  return { dir, remote, workDir, batch, cleanup: () => [dir, remote, workDir].forEach((d) => fs.rmSync(d, { recursive: true, force: true })) };
}

/** sha256 of every file under `dir` (relative path → hash). */
function hashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const n of fs.readdirSync(d).sort()) {
      const a = path.join(d, n);
      if (fs.statSync(a).isDirectory()) walk(a);
      else out[path.relative(dir, a)] = crypto.createHash('sha256').update(fs.readFileSync(a)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

const rowsBut = (dir: string, skipTime = true): string[] =>
  fs
    .readFileSync(path.join(dir, 'runs', STUDY, 'registry', 'runs.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => (skipTime ? l.slice(l.indexOf(',') + 1) : l))
    .sort();

type Report = { variants: Array<{ id: string; state: string; executions: number; stages: Record<string, string>; metrics: Record<string, number | null>; run_id: string }>; batch_state: string };

describe.skipIf(!avail.ok)('submit --batch on postgres', () => {
  const qs = useQueueServers('postgres');

  it('queues one run per variant, runs them on workers and brings the batch home as a local batch run makes it', async () => {
    const repo = studyRepo(['--seeds', '42,43', '--sweep', 'threshold=2']);
    qs.repos.push(repo);
    const { dir, batch } = repo;
    const q = `${qs.base()}?queue=batch`;
    // The reference: a local batch run of the same commit, in a clone.
    const ref = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'runr-ref-')));
    qs.repos.push({ dir: ref, remote: ref, workDir: ref, cleanup: () => fs.rmSync(ref, { recursive: true, force: true }) });
    sh(ref, ['clone', '-q', '-b', 'main', repo.remote, '.']);
    const local = stJson<{ variants: Array<{ variant: string; outcome: string }> }>(['batch', 'run', STUDY, batch, '--jobs', '2'], ref);
    expect(local.status, local.stderr).toBe(0);

    const sub = json(runrIn(dir, ['submit', '--batch', STUDY, batch, '--queue', q, '--priority', '5', '--json']));
    const ids = sub.run_ids as string[];
    expect(sub).toMatchObject({ study: STUDY, batch_id: batch, status: 'queued', created: 4 });
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(4);
    const variants = sub.variants as Array<{ variant_id: string; run_id: string; created: boolean }>;
    expect(variants.map((v) => v.variant_id).sort()).toEqual(local.json.variants.map((v) => v.variant).sort());
    // The same batch again: the same run ids, nothing new queued.
    const again = json(runrIn(dir, ['submit', '--batch', STUDY, batch, '--queue', q, '--json']));
    expect(again).toMatchObject({ status: 'queued', created: 0, run_ids: ids });
    expect((again.variants as Array<{ created: boolean }>).every((v) => !v.created)).toBe(true);
    // Before any worker: status says queued (from the registry).
    expect(json(runrIn(dir, ['status', ids[0]!, '--queue', q, '--json']))).toMatchObject({ source: 'queue', status: 'queued' });

    for (const name of ['bw1', 'bw2']) qs.workers.push(startWorker({ workDir: repo.workDir, repo: repo.remote, queue: q, name, wrap: WRAP }));
    // `wait` on a variant's run: it ends, and its record comes home.
    const waited = runrIn(dir, ['wait', ids[0]!, '--for', 'terminal', '--queue', q, '--timeout', '400'], { timeoutMs: 450_000 });
    expect(waited.status, waited.stdout + waited.stderr).toBe(0);
    await until('every variant run to finish', async () => {
      for (const id of ids) if ((await qs.reg.row(id))?.status !== 'succeeded') return false;
      return true;
    }, 400_000, 500);
    for (const id of ids) expect((await qs.reg.terminalCounts()).get(id)).toBe(1);
    const synced = json(runrIn(dir, ['queue', 'sync', ...ids, '--queue', q, '--json']));
    expect((synced.items as Array<{ result: string }>).every((i) => i.result === 'synced' || i.result === 'unchanged')).toBe(true);
    // A second sync changes nothing and appends no second row.
    const rowsOnce = rowsBut(dir, false);
    expect(json(runrIn(dir, ['queue', 'sync', ...ids, '--queue', q, '--json']))).toMatchObject({ synced: 0, unchanged: 4 });
    expect(rowsBut(dir, false)).toEqual(rowsOnce);

    // The same registry rows as the local batch run (but the time).
    expect(rowsBut(dir)).toEqual(rowsBut(ref));
    // Each variant: its pointer names its queued run; inputs and results byte for byte the same.
    for (const v of variants) {
      const rel = path.join('runs', STUDY, 'batches', batch, 'variants', v.variant_id);
      expect(fs.readFileSync(path.join(dir, rel, '.runr-run'), 'utf8').trim()).toBe(v.run_id);
      expect(hashes(path.join(dir, rel, 'inputs'))).toEqual(hashes(path.join(ref, rel, 'inputs')));
      // Results too, but meta.json, whose completed_at is the time the simulation ended.
      const { 'meta.json': _m, ...results } = hashes(path.join(dir, rel, 'results'));
      const { 'meta.json': _n, ...refResults } = hashes(path.join(ref, rel, 'results'));
      expect(Object.keys(results).length).toBeGreaterThanOrEqual(4);
      expect(results).toEqual(refResults);
      const meta = (d: string): Record<string, unknown> => {
        const { completed_at: at, ...m } = JSON.parse(fs.readFileSync(path.join(d, rel, 'results', 'meta.json'), 'utf8')) as Record<string, unknown>;
        expect(typeof at).toBe('string');
        return m;
      };
      expect(meta(dir)).toEqual(meta(ref));
      const shown = json(runrIn(dir, ['status', v.run_id, '--queue', q, '--json']));
      expect(shown.run_id ?? shown.id ?? v.run_id).toBe(v.run_id);
      expect(shown.source).not.toBe('queue');
    }
    // The same report (but the run ids).
    const rep = (d: string): unknown => {
      const r = stJson<Report>(['batch', 'report', STUDY, batch], d);
      expect(r.status, r.stderr).toBe(0);
      return { batch_state: r.json.batch_state, variants: r.json.variants.map(({ run_id: _r, ...v }) => v) };
    };
    expect(rep(dir)).toEqual(rep(ref));
    // A local batch run after the sync finds everything up to date.
    const rerun = stJson<{ nothing_to_do: boolean }>(['batch', 'run', STUDY, batch], dir);
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(rerun.json.nothing_to_do).toBe(true);
    // The record came home complete.
    const audit = runrIn(dir, ['audit', ids[1]!]);
    expect(audit.status, audit.stdout + audit.stderr).toBe(0);
    expect(st(['find', `params.batch = '${batch}'`], dir).stdout.split('\n').filter((l) => l.includes('run_')).length).toBeGreaterThanOrEqual(4);
  }, 900_000);
});

describe.skipIf(!avail.ok)('submit --batch on redis', () => {
  const qs = useQueueServers('redis');

  it('a one-variant batch: queued, run on a worker, its row and results synced home', () => {
    const repo = studyRepo(['--seeds', '7']);
    qs.repos.push(repo);
    const { dir, batch } = repo;
    const q = `${qs.base()}?queue=batch`;
    const sub = json(runrIn(dir, ['submit', '--batch', STUDY, batch, '--queue', q, '--json']));
    expect(sub).toMatchObject({ status: 'queued', created: 1 });
    const id = (sub.run_ids as string[])[0]!;
    qs.workers.push(startWorker({ workDir: repo.workDir, repo: repo.remote, queue: q, name: 'rbw1', wrap: WRAP }));
    const waited = runrIn(dir, ['queue', 'wait', id, '--queue', q, '--timeout', '400', '--json'], { timeoutMs: 450_000 });
    expect(waited.status, waited.stdout + waited.stderr).toBe(0);
    expect(json(waited)).toMatchObject({ run_id: id, status: 'succeeded', synced: 'synced' });
    const rows = rowsBut(dir);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(new RegExp(`^${STUDY},${batch},vr-base-default-s7,scn-v01,cfg-v01,7,success,`));
    const v = path.join(dir, 'runs', STUDY, 'batches', batch, 'variants', 'vr-base-default-s7');
    expect(fs.readFileSync(path.join(v, '.runr-run'), 'utf8').trim()).toBe(id);
    expect(fs.existsSync(path.join(v, 'results', 'meta.json'))).toBe(true);
    const r = stJson<Report>(['batch', 'report', STUDY, batch], dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json.variants[0]).toMatchObject({ id: 'vr-base-default-s7', state: 'success', run_id: id });
  }, 900_000);
});
