/**
 * The states a crash can leave behind, built by hand so that each is certain to be exercised
 * (random kills rarely hit the few milliseconds between two writes):
 *  torn last journal line · RUN.json behind the journal, missing or garbled · an attempt file
 *  behind RUN.json or missing · a lock left by a dead writer · temp files of an interrupted write.
 * For each: the record still loads, the chain verifies, and the next write leaves a whole record.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeRepo, runr } from '../helpers/cli.js';
import { checkRecord } from './record-check.js';
import { makeRobustRepo, startRun } from './setup.js';

let repo = '';
let n = 0;

beforeAll(() => {
  repo = makeRobustRepo();
});
afterAll(() => {
  if (repo !== '') removeRepo(repo);
});

function ok(args: string[]): string {
  const r = runr(args, { cwd: repo });
  expect(r.status, `runr ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

/** A run with G1 attempt 1 passed and one invocation recorded. */
function freshRun(): { id: string; dir: string; record: string } {
  n += 1;
  const run = startRun(repo, `state-${n}`);
  ok(['gate', 'start', '--run', run.id, '--gate', 'G1', '--agent', 'a']);
  ok(['invocation', 'record', '--run', run.id, '--gate', 'G1', '--agent', 'a']);
  ok(['gate', 'finish', '--run', run.id, '--gate', 'G1']);
  return { ...run, record: path.join(run.dir, 'record') };
}

function show(id: string): { run_id: string; invocations: unknown[]; gates: Array<{ gate: string; attempts: unknown[] }> } {
  const r = runr(['run', 'show', '--run', id, '--json'], { cwd: repo });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stderr).not.toMatch(/^ {4}at /m);
  return JSON.parse(r.stdout);
}

interface Audit {
  ok: boolean;
  journal: { chain_ok: boolean; torn_line: number | null };
  snapshot: { in_step: boolean };
  attempt_files: { mismatched: string[] };
}

function audit(id: string): { status: number | null; report: Audit } {
  const r = runr(['audit', id, '--json'], { cwd: repo });
  expect([0, 1], r.stderr).toContain(r.status);
  return { status: r.status, report: JSON.parse(r.stdout) as Audit };
}

/** After the damage: loads, chain verifies; then one more write, and the record is whole. */
function expectRecovers(run: { id: string; dir: string }, nextWrite: string[]): void {
  expect(show(run.id).run_id).toBe(run.id);
  expect(audit(run.id).report.journal.chain_ok).toBe(true);
  ok(nextWrite);
  expect(checkRecord(run.dir, { inStep: true }).problems).toEqual([]);
  const after = audit(run.id);
  expect(after.report).toMatchObject({ ok: true, journal: { chain_ok: true, torn_line: null }, snapshot: { in_step: true }, attempt_files: { mismatched: [] } });
  expect(after.status).toBe(0);
}

const invocationOn = (id: string, gate: string) => ['invocation', 'record', '--run', id, '--gate', gate, '--agent', 'next'];

describe('crash states', () => {
  it('a torn last line (no newline) is reported, then cut off by the next write', () => {
    const run = freshRun();
    const events = checkRecord(run.dir).events.length;
    fs.appendFileSync(path.join(run.record, 'events.jsonl'), '{"schema_version":1,"seq":');
    expect(audit(run.id).report.journal.torn_line).toBe(events + 1);
    expectRecovers(run, invocationOn(run.id, 'G1'));
    expect(checkRecord(run.dir).events.length).toBe(events + 1);
  });

  it('a torn last line that ends in a newline is treated the same', () => {
    const run = freshRun();
    fs.appendFileSync(path.join(run.record, 'events.jsonl'), '{"seq": 99, "type":\n');
    expect(audit(run.id).report.journal.torn_line).not.toBeNull();
    expectRecovers(run, ['gate', 'start', '--run', run.id, '--gate', 'CV']);
  });

  it('RUN.json behind the journal: shown rebuilt from the journal, persisted by the next write', () => {
    const run = freshRun();
    const old = fs.readFileSync(path.join(run.record, 'RUN.json'));
    ok(invocationOn(run.id, 'G1'));
    fs.writeFileSync(path.join(run.record, 'RUN.json'), old);
    expect(show(run.id).invocations).toHaveLength(2);
    expect(audit(run.id).report.snapshot.in_step).toBe(false);
    expectRecovers(run, ['gate', 'start', '--run', run.id, '--gate', 'CV']);
  });

  it('RUN.json missing or garbled: the journal has everything', () => {
    for (const damage of ['missing', 'garbled'] as const) {
      const run = freshRun();
      const file = path.join(run.record, 'RUN.json');
      if (damage === 'missing') fs.rmSync(file);
      else fs.writeFileSync(file, fs.readFileSync(file, 'utf8').slice(0, 100));
      expect(show(run.id).invocations).toHaveLength(1);
      expectRecovers(run, invocationOn(run.id, 'CV'));
    }
  });

  it('an attempt file behind RUN.json (crash between the two writes) is repaired by the next write', () => {
    const run = freshRun();
    ok(['gate', 'start', '--run', run.id, '--gate', 'G1']);
    const before = fs.readFileSync(path.join(run.record, 'gates', 'G1', 'attempt-2.json'));
    ok(['gate', 'finish', '--run', run.id, '--gate', 'G1']);
    // The crash: RUN.json has attempt 2 finished, its file still says RUNNING.
    fs.writeFileSync(path.join(run.record, 'gates', 'G1', 'attempt-2.json'), before);
    // The next write is about another gate; the stale file must still be brought in step.
    expectRecovers(run, invocationOn(run.id, 'CV'));
  });

  it('a missing attempt file is rewritten by the next write', () => {
    const run = freshRun();
    fs.rmSync(path.join(run.record, 'gates', 'G1', 'attempt-1.json'));
    expectRecovers(run, invocationOn(run.id, 'CV'));
  });

  it('a writer lock left by a dead process does not block the next command', () => {
    const run = freshRun();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const lock = path.join(run.dir, 'logs', 'writer.lock');
    fs.writeFileSync(lock, JSON.stringify({ schema_version: 1, pid: dead, host: os.hostname(), token: 'deadbeef', acquired_at: new Date().toISOString(), purpose: 'write' }));
    fs.writeFileSync(`${lock}.steal`, JSON.stringify({ schema_version: 1, pid: dead, host: os.hostname(), token: 'cafe', acquired_at: new Date().toISOString(), purpose: 'steal' }));
    const t0 = Date.now();
    expectRecovers(run, invocationOn(run.id, 'G1'));
    // The store waits up to 30 s for a live writer; a dead one is recognised at once.
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('an empty lock file (writer killed between creating and filling it) is taken over once old', () => {
    const run = freshRun();
    const lock = path.join(run.dir, 'logs', 'writer.lock');
    fs.writeFileSync(lock, '');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lock, old, old);
    expectRecovers(run, invocationOn(run.id, 'G1'));
  });

  it('temp files of an interrupted atomic write are ignored', () => {
    const run = freshRun();
    fs.writeFileSync(path.join(run.record, `.RUN.json.${process.pid}.0badc0de.tmp`), '{"run_id": "half');
    fs.writeFileSync(path.join(run.record, 'gates', 'G1', `.attempt-1.json.${process.pid}.0badc0de.tmp`), '');
    expectRecovers(run, invocationOn(run.id, 'G1'));
  });
});
