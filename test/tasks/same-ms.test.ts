/**
 * Two runs started in the same millisecond (a frozen clock, in one process) get distinct ids,
 * directories, branches, worktrees and locks, and both complete.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openProject } from '../../src/store/project.js';
import { RunStore } from '../../src/store/run-store.js';
import { startTaskRun } from '../../src/tasks/start.js';
import { checkpointCommits, makeTaskRepo, removeRepo } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeRepo(d);
});

describe('same-millisecond starts', () => {
  it('never share anything', async () => {
    const dir = makeTaskRepo();
    dirs.push(dir);
    const frozen = new Date('2026-01-02T14:30:52.123Z');
    const project = openProject(dir);
    const store = () => new RunStore(project, { now: () => frozen, fsync: false, warn: () => undefined });
    const deps = { cwd: dir, signal: new AbortController().signal, progress: () => undefined };
    const opts = { task: '.runr/tasks/task.md', worktree: true, fast: false, allowDeps: false, allowDirty: false };
    const [a, b] = await Promise.all([startTaskRun({ ...deps, store: store() }, opts), startTaskRun({ ...deps, store: store() }, opts)]);
    expect(a.runId).not.toBe(b.runId);
    expect(a.runId.startsWith('run_20260102T143052123Z_task_')).toBe(true);
    expect(b.runId.startsWith('run_20260102T143052123Z_task_')).toBe(true);
    expect([a.reason, b.reason]).toEqual(['complete', 'complete']);
    for (const r of [a, b]) {
      expect(r.runDir).toBe(path.join(dir, '.runr', 'runs', r.runId));
      expect(fs.existsSync(path.join(dir, '.runr', 'worktrees', r.runId, 'src', 'farewell.ts'))).toBe(true);
      expect(checkpointCommits(dir, `runr/${r.runId}`).map((c) => c.run)).toEqual([r.runId, r.runId]);
    }
  });
});
