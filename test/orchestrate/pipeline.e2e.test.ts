/**
 * Within a track, the next task starts from the previous one's last checkpoint as soon as that one
 * completed, while it lands. When it then does not land, the track stops: the next task is stopped
 * with it (never landed), and the integration branch keeps neither.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Json } from './helpers.js';
import { filesOn, killOrchestrator, makeOrchRepo, orchestrate, record, removeRepo } from './helpers.js';

const dirs: string[] = [];
const ids: Array<[string, string]> = [];
afterAll(() => {
  for (const [d, id] of ids) killOrchestrator(d, id);
  for (const d of dirs) removeRepo(d);
});

describe('orchestrate: the next task of a track runs while the previous one lands', () => {
  it('a previous task that does not land stops the next one, which never lands', () => {
    // Green in the task runs (RUNR_TRACK is set only when landing), red on the merged tree of a1.
    const check = 'test -z "$RUNR_TRACK" || test ! -f src/a1.txt';
    const dir = makeOrchRepo({
      verification: { tier0: [check] },
      tracks: { a: { a1: { write: { 'src/a1.txt': 'a1\n' } }, a2: { write: { 'src/a2.txt': 'a2\n' }, planSleepMs: 8000 } } },
    });
    dirs.push(dir);
    const r = orchestrate(dir, [], 180);
    ids.push([dir, r.id]);
    expect(r.wait.status, JSON.stringify(r.status)).toBe(3);
    const tasks = (r.status.tracks as Json[])[0]?.tasks as Json[];
    expect(tasks[0]).toMatchObject({ state: 'not_landed', stop_reason: 'merge_verification_failed' });
    // a2 was started from a1's checkpoint while a1 was landing, then stopped when a1 did not land.
    expect(tasks[1]?.state).toBe('stopped');
    expect(tasks[1]?.run_id).toEqual(expect.any(String));
    const orch = record(dir, r.id);
    const a1 = orch.orchestration.tracks[0].tasks[0] as Json;
    const a2 = orch.orchestration.tracks[0].tasks[1] as Json;
    expect(a2.detail).toContain('did not land');
    expect(record(dir, a2.run_id as string).task.info.git.base_commit).toBe(a1.head);
    const files = filesOn(dir, r.status.integration_branch as string);
    expect(files).not.toContain('src/a1.txt');
    expect(files).not.toContain('src/a2.txt');
    expect((r.report.landed_tasks as Json[]).length).toBe(0);
  });
});
