/** The journal tail (event driven and polling), and the pure condition parser. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JournalTail } from '../../src/supervise/journal-tail.js';
import { evaluate, parseCondition, waitExitCode } from '../../src/core/supervise/conditions.js';
import type { RunView } from '../../src/core/supervise/run-view.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const line = (seq: number) => `${JSON.stringify({ schema_version: 1, seq, ts: new Date().toISOString(), prev: null, type: 'run.completed', status: 'PASSED' })}\n`;

describe('JournalTail', () => {
  for (const watch of [true, false]) {
    it(`reads complete lines only and wakes on appends (${watch ? 'fs events' : 'polling'})`, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runr-tail-'));
      dirs.push(dir);
      const file = path.join(dir, 'events.jsonl');
      fs.writeFileSync(file, line(1));
      const tail = new JournalTail(file, { watch, pollMs: 50 });
      try {
        expect(tail.watching).toBe(watch);
        expect(tail.read().map((e) => e.seq)).toEqual([1]);
        expect(tail.read()).toEqual([]);
        const woke = tail.waitForChange(60_000);
        const torn = line(2);
        fs.appendFileSync(file, torn.slice(0, 20));
        await woke;
        expect(tail.read()).toEqual([]); // half a line is left for later
        fs.appendFileSync(file, torn.slice(20) + line(3));
        await tail.waitForChange(60_000);
        expect(tail.read().map((e) => e.seq)).toEqual([2, 3]);
      } finally {
        tail.close();
      }
    });
  }

  it('a journal that does not exist yet reads as empty, then is picked up', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runr-tail-'));
    dirs.push(dir);
    const file = path.join(dir, 'events.jsonl');
    const tail = new JournalTail(file);
    expect(tail.read()).toEqual([]);
    fs.writeFileSync(file, line(1));
    expect(tail.read().map((e) => e.seq)).toEqual([1]);
    expect(tail.watching).toBe(true);
    tail.close();
  });
});

const view = (over: Partial<RunView>): RunView => ({
  run_id: 'r', kind: 'task', status: 'RUNNING', phase: 'IMPLEMENT', stop_reason: null, stop_detail: null, milestones_completed: 0, milestones_total: 2,
  terminal: false, complete: false, dead: false, session: 1, guard_files: [], gates: {}, ...over,
});

describe('wait conditions', () => {
  it('parses the documented forms and rejects others', () => {
    expect(parseCondition('terminal')).toEqual({ kind: 'terminal' });
    expect(parseCondition('phase:verify')).toEqual({ kind: 'phase', phase: 'VERIFY' });
    expect(parseCondition('milestone:2')).toEqual({ kind: 'milestone', n: 2 });
    expect(parseCondition('gate:G2')).toEqual({ kind: 'gate', gate: 'G2' });
    for (const bad of ['', 'done', 'milestone:x', 'milestone:0', 'gate:../x', 'phase:']) expect(parseCondition(bad)).toHaveProperty('problem');
  });

  it('met / pending / impossible, and the exit code is the run’s state', () => {
    const stopped = view({ status: 'STOPPED', phase: 'STOPPED', stop_reason: 'guard_violation', terminal: true });
    const done = view({ status: 'PASSED', phase: 'STOPPED', stop_reason: 'complete', terminal: true, complete: true, milestones_completed: 2 });
    expect(evaluate({ kind: 'complete' }, view({}))).toBe('pending');
    expect(evaluate({ kind: 'complete' }, stopped)).toBe('impossible');
    expect(evaluate({ kind: 'stop' }, stopped)).toBe('met');
    expect(evaluate({ kind: 'stop' }, done)).toBe('impossible');
    expect(evaluate({ kind: 'phase', phase: 'IMPLEMENT' }, view({}))).toBe('met');
    expect(evaluate({ kind: 'milestone', n: 2 }, done)).toBe('met');
    expect(waitExitCode('met', view({}))).toBe(0);
    expect(waitExitCode('met', stopped)).toBe(3);
    expect(waitExitCode('impossible', done)).toBe(0);
    expect(waitExitCode('timeout', view({}))).toBe(124);
  });
});
