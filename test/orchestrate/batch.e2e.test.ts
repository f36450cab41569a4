/**
 * The merge queue lands several queued tasks in one verified merge: four tracks complete while the
 * first landing's verification is held (it waits until every task's completion is on the
 * orchestration's journal, so the other three are queued by then). Green: the three land together
 * — merged in order, the last tree verified once, the branch moved once — and the report still
 * lists each in its order. Red: nothing of the batch is kept, the tasks land one at a time, and the
 * one that breaks verification is reported with the failing command; the others land.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Json } from './helpers.js';
import { filesOn, git, killOrchestrator, makeOrchRepo, orchestrate, removeRepo } from './helpers.js';

const dirs: string[] = [];
const ids: Array<[string, string]> = [];
afterAll(() => {
  for (const [d, id] of ids) killOrchestrator(d, id);
  for (const d of dirs) removeRepo(d);
});

// Landings only (RUNR_TRACK is set on the merge queue's verification, not on a task run's): in the
// integration worktree (.runr/worktrees/<orchestration id>), hold a landing until all four tasks'
// completions are journaled (at most 90 s; then it goes on, and the assertions say what happened).
const BARRIER = `[ -z "$RUNR_TRACK" ] || i=0; [ -z "$RUNR_TRACK" ] || while [ "$(grep -c '"type":"orch.task_finished"' ../../runs/$RUNR_RUN_ID/record/events.jsonl)" -lt 4 ] && [ $i -lt 900 ]; do sleep 0.1; i=$((i+1)); done`;

function repo(extra: string[]): string {
  const tracks: Record<string, Record<string, { write: Record<string, string>; expected: string[] }>> = {};
  for (const t of ['a', 'b', 'c', 'd']) tracks[t] = { [`${t}1`]: { write: { [`src/${t}.txt`]: `${t}\n` }, expected: [`src/${t}.txt`] } };
  const dir = makeOrchRepo({ tracks, verification: { tier0: [BARRIER, ...extra] } });
  dirs.push(dir);
  return dir;
}

function journal(dir: string, id: string): Json[] {
  return fs
    .readFileSync(path.join(dir, '.runr', 'runs', id, 'record', 'events.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Json);
}

describe('merge queue: queued tasks land together', () => {
  it('three tasks queued behind a landing land in one verified merge, each recorded in its order', () => {
    const dir = repo([]);
    const before = git(dir, ['rev-parse', 'HEAD']).trim();
    const r = orchestrate(dir, [], 150);
    ids.push([dir, r.id]);
    expect(r.wait.status, JSON.stringify(r.report.not_landed)).toBe(0);
    expect(r.report.landed).toBe(4);
    const landed = journal(dir, r.id).filter((e) => e.type === 'orch.landed');
    expect(landed.map((e) => e.order)).toEqual([1, 2, 3, 4]);
    // The first landed alone; the three queued behind it were verified once, on the last tree.
    expect(landed[0]?.verified_at).toBeUndefined();
    const batch = landed.slice(1);
    expect(batch.map((e) => e.verified_at)).toEqual([landed[3]?.integration_head, landed[3]?.integration_head, landed[3]?.integration_head]);
    expect(batch.every((e) => (e.verification as Json[]).length === 1)).toBe(true);
    // Each step is on the branch, in order: every landing's head is an ancestor of the next one's.
    for (let i = 0; i + 1 < landed.length; i++) git(dir, ['merge-base', '--is-ancestor', landed[i]?.integration_head as string, landed[i + 1]?.integration_head as string]);
    const branch = r.status.integration_branch as string;
    expect(git(dir, ['rev-parse', branch]).trim()).toBe(landed[3]?.integration_head);
    expect(filesOn(dir, branch).filter((f) => /^src\/[abcd]\.txt$/.test(f)).sort()).toEqual(['src/a.txt', 'src/b.txt', 'src/c.txt', 'src/d.txt']);
    // The report lists what landed in which order.
    expect((r.report.landed_tasks as Json[]).map((k) => k.order)).toEqual([1, 2, 3, 4]);
    expect(fs.readdirSync(path.join(dir, '.runr', 'runs', r.id, 'logs', 'land')).some((f) => f.endsWith('-batch.log'))).toBe(true);
    expect(git(dir, ['rev-parse', 'HEAD']).trim()).toBe(before);
  });

  it('a batch whose merged tree is red keeps nothing; one at a time, the task that breaks it is reported and the others land', () => {
    // Red on a merged tree holding c's file (a task run's own verification, without RUNR_TRACK, passes).
    const check = '[ -z "$RUNR_TRACK" ] || test ! -f src/c.txt';
    const dir = repo([check]);
    const r = orchestrate(dir, [], 150);
    ids.push([dir, r.id]);
    expect(r.wait.status).toBe(3);
    expect(r.report.landed).toBe(3);
    const notLanded = r.report.not_landed as Json[];
    expect(notLanded).toHaveLength(1);
    expect(notLanded[0]).toMatchObject({ track: 'c', reason: 'merge_verification_failed' });
    expect(notLanded[0]?.detail).toContain(check);
    const landed = journal(dir, r.id).filter((e) => e.type === 'orch.landed');
    expect(landed.map((e) => e.track).sort()).toEqual(['a', 'b', 'd']);
    expect(landed.map((e) => e.order)).toEqual([1, 2, 3]);
    const files = filesOn(dir, r.status.integration_branch as string);
    expect(files).not.toContain('src/c.txt');
    expect(files.filter((f) => /^src\/[abd]\.txt$/.test(f)).sort()).toEqual(['src/a.txt', 'src/b.txt', 'src/d.txt']);
  });
});
