/**
 * Concurrency: many CLI processes at once on the same run and on different runs. Every command
 * must succeed (writers queue on the run's lock), and afterwards nothing is lost or corrupt:
 * one invocation per `invocation record`, attempts numbered 1..n without gaps or duplicates, the
 * journal's seq contiguous and its hash chain intact (checked independently and by `runr audit`),
 * RUN.json and every attempt file in step.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunrResult } from '../helpers/cli.js';
import { removeRepo, runr } from '../helpers/cli.js';
import { checkRecord } from './record-check.js';
import { ARTIFACT_PATH, makeRobustRepo, startRun } from './setup.js';
import { runrAsync } from './spawn.js';

let repo = '';

beforeAll(() => {
  repo = makeRobustRepo();
});
afterAll(() => {
  if (repo !== '') removeRepo(repo);
});

interface Job {
  run: string;
  kind: 'invocation' | 'finish' | 'start';
  gate: string;
  args: string[];
}

function job(run: string, kind: Job['kind'], gate: string, agent: string): Job {
  const args =
    kind === 'invocation'
      ? ['invocation', 'record', '--run', run, '--gate', gate, '--agent', agent, '--json']
      : kind === 'finish'
        ? ['gate', 'finish', '--run', run, '--gate', gate, '--json']
        : ['gate', 'start', '--run', run, '--gate', gate, '--agent', agent, '--json'];
  return { run, kind, gate, args };
}

/** Every JSON file under a run's record/ parses. */
function allRecordJsonParses(runDir: string): string[] {
  const bad: string[] = [];
  const walk = (d: string) => {
    for (const ent of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, ent.name);
      if (ent.isDirectory()) walk(p);
      else if (ent.name.endsWith('.json')) {
        try {
          JSON.parse(fs.readFileSync(p, 'utf8'));
        } catch {
          bad.push(path.relative(runDir, p));
        }
      }
    }
  };
  walk(path.join(runDir, 'record'));
  return bad;
}

describe('concurrent writers', () => {
  it('12 writers (+2 readers) at a time, 3 rounds, on one shared run and two others: no lost event, no corrupt file', { timeout: 240_000 }, async () => {
    const shared = startRun(repo, 'shared');
    const others = [startRun(repo, 'other-a'), startRun(repo, 'other-b')];
    for (const r of [shared, ...others]) {
      for (const gate of ['G1', 'CV']) expect(runr(['gate', 'start', '--run', r.id, '--gate', gate, '--agent', 'setup'], { cwd: repo }).status).toBe(0);
    }
    const ROUNDS = 3;
    const done: Array<{ job: Job; result: RunrResult }> = [];
    for (let round = 0; round < ROUNDS; round++) {
      const jobs: Job[] = [];
      for (let i = 0; i < 6; i++) jobs.push(job(shared.id, 'invocation', i % 2 === 0 ? 'G1' : 'CV', `agent-${round}-${i}`));
      jobs.push(job(shared.id, 'finish', 'G1', ''));
      jobs.push(job(shared.id, 'start', 'CV', `starter-${round}`));
      for (const o of others) {
        jobs.push(job(o.id, 'invocation', 'G1', `other-${round}`));
        jobs.push(job(o.id, round % 2 === 0 ? 'finish' : 'invocation', round % 2 === 0 ? 'G1' : 'CV', `other2-${round}`));
      }
      // Readers alongside the writers always see a whole record.
      const readers = [0, 1].map(() => runrAsync(['run', 'show', '--run', shared.id, '--json'], { cwd: repo }));
      const results = await Promise.all(jobs.map((j) => runrAsync(j.args, { cwd: repo })));
      results.forEach((result, i) => done.push({ job: jobs[i]!, result }));
      for (const r of await Promise.all(readers)) {
        expect(r.status, r.stderr).toBe(0);
        expect((JSON.parse(r.stdout) as { run_id: string }).run_id).toBe(shared.id);
      }
    }

    for (const { job: j, result } of done) {
      expect(result.status, `${j.args.join(' ')}: ${result.stderr}`).toBe(0);
      expect(result.stderr).not.toMatch(/^ {4}at /m);
    }

    for (const r of [shared, ...others]) {
      const mine = done.filter((d) => d.job.run === r.id);
      const recorded = mine.filter((d) => d.job.kind === 'invocation').map((d) => (JSON.parse(d.result.stdout) as { invocation_id: string }).invocation_id);
      const check = checkRecord(r.dir, { inStep: true });
      expect(check.problems, r.id).toEqual([]);
      expect(allRecordJsonParses(r.dir)).toEqual([]);
      const run = check.run!;
      // No lost invocation, none duplicated.
      const ids = (run.invocations as Array<{ invocation_id: string }>).map((x) => x.invocation_id);
      expect(ids.length).toBe(recorded.length);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual([...recorded].sort());
      // One journal event per successful command (plus run.created and the two setup starts).
      expect(check.events.length).toBe(1 + 2 + mine.length);
      // Attempts: numbered 1..n, one per start.
      for (const g of run.gates) {
        const starts = 1 + mine.filter((d) => d.job.kind === 'start' && d.job.gate === g.gate).length;
        expect(g.attempts.map((a) => a.attempt)).toEqual(Array.from({ length: starts }, (_, i) => i + 1));
      }
      const started = mine.filter((d) => d.job.kind === 'start').map((d) => (JSON.parse(d.result.stdout) as { attempt: number }).attempt);
      expect(new Set(started).size).toBe(started.length);
      const audit = runr(['audit', r.id, '--json'], { cwd: repo });
      expect(audit.status, audit.stdout).toBe(0);
      expect(JSON.parse(audit.stdout)).toMatchObject({ ok: true, journal: { chain_ok: true, torn_line: null }, snapshot: { in_step: true } });
    }
  });

  it('10 concurrent `run start` with the same slug create 10 distinct runs', { timeout: 120_000 }, async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => runrAsync(['run', 'start', '--workflow', 'robust', '--slug', 'same', '--artifact-path', ARTIFACT_PATH, '--json'], { cwd: repo })),
    );
    for (const r of results) expect(r.status, r.stderr).toBe(0);
    const ids = results.map((r) => (JSON.parse(r.stdout) as { run_id: string }).run_id);
    expect(new Set(ids).size).toBe(10);
    for (const id of ids) expect(checkRecord(path.join(repo, '.runr', 'runs', id), { inStep: true }).problems).toEqual([]);
  });
});
