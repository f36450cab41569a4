/** The pure core of orchestration: claims overlap, front matter, the scheduler, the reducer. */
import { describe, expect, it } from 'vitest';
import { outsideOwns, overlap } from '../../src/core/orchestrate/collide.js';
import { nextStarts } from '../../src/core/orchestrate/schedule.js';
import { orchestrationOf } from '../../src/core/orchestrate/state.js';
import type { OrchestrationState } from '../../src/core/orchestrate/state.js';
import { statusView } from '../../src/core/orchestrate/views.js';
import { parseFrontMatter } from '../../src/core/tasks/front-matter.js';
import { replay } from '../../src/core/reduce/index.js';
import type { EventBody, JournalEvent } from '../../src/core/events/index.js';

describe('overlap of claims', () => {
  const c = (patterns: string[], changed: string[] = []) => ({ patterns, changed });
  it('paths against paths, globs against paths, globs against globs', () => {
    expect(overlap(c([], ['src/a.ts']), c([], ['src/a.ts', 'src/b.ts']))).toEqual(['src/a.ts']);
    expect(overlap(c(['src/auth/**']), c([], ['src/auth/login.ts', 'docs/x.md']))).toEqual(['src/auth/login.ts']);
    expect(overlap(c(['src/auth/**']), c(['src/**']))).toEqual(['src/**']);
    expect(overlap(c(['src/a/**']), c(['docs/**']))).toEqual([]);
    expect(overlap(c(['src/a.ts']), c(['src/a.ts']))).toEqual(['src/a.ts']);
    expect(overlap(c(['src']), c([], ['src/x.ts']))).toEqual(['src/x.ts']);
    expect(overlap(c([], ['a.txt']), c([], ['b.txt']))).toEqual([]);
  });
  it('owns: everything outside the globs; no owns means no rule', () => {
    expect(outsideOwns(['src/a/x.ts', 'src/b/y.ts'], ['src/a/**'])).toEqual(['src/b/y.ts']);
    expect(outsideOwns(['src/b/y.ts'], [])).toEqual([]);
  });
});

describe('task front matter', () => {
  it('reads owns and files_expected as flow or block lists, ignores other keys', () => {
    const f = parseFrontMatter('---\nowns: [src/auth/**, "docs/auth.md"]\nfiles_expected:\n  - src/auth/login.ts # the form\n  - \'src/auth/api.ts\'\nauthor: me\n---\n# Title\n');
    expect(f.owns).toEqual(['src/auth/**', 'docs/auth.md']);
    expect(f.files_expected).toEqual(['src/auth/login.ts', 'src/auth/api.ts']);
    expect(f.body).toBe('# Title\n');
  });
  it('no front matter, or an unterminated one, is plain text', () => {
    expect(parseFrontMatter('# T\n---\nowns: [x]\n').owns).toEqual([]);
    expect(parseFrontMatter('---\nowns: [x]\n# never closed\n').owns).toEqual([]);
  });
});

const SHA = (n: number) => String(n).repeat(40).slice(0, 40);
function journal(bodies: EventBody[]): JournalEvent[] {
  return bodies.map((b, i) => ({ schema_version: 1, seq: i + 1, ts: `2026-01-01T00:00:0${i % 10}.000Z`, prev: null, ...b }) as JournalEvent);
}
const created: EventBody = {
  type: 'run.created',
  run_id: 'run_o',
  kind: 'orchestration',
  workflow: { name: 'orchestration', version: '1', slug: 'tracks', artifact_path: '' },
  depth: 'standard',
  prompt: null,
  params: {},
  gates: [],
} as unknown as EventBody;
const spec = (p: string) => ({ path: p, title: p, owns: [], files_expected: [] });
const started: EventBody = {
  type: 'orch.started',
  config: { file: 'tracks.yaml', sha256: 'x' },
  tracks: [
    { id: 'a', tasks: [spec('a1.md'), spec('a2.md')] },
    { id: 'b', tasks: [spec('b1.md')] },
    { id: 'c', tasks: [spec('c1.md')] },
  ],
  policy: 'serialize',
  max_parallel: 2,
  integration_branch: 'runr/orch/run_o',
  base_commit: SHA(1),
  base_branch: 'main',
  options: { fast: false, allow_deps: false },
};

function stateOf(events: EventBody[]): OrchestrationState {
  const run = replay(journal([created, ...events]));
  const s = run === null ? null : orchestrationOf(run);
  if (s === null) throw new Error('no state');
  return s;
}

describe('scheduler and reducer', () => {
  it('starts at most max_parallel tracks, serially within a track (next task once the previous completed)', () => {
    let s = stateOf([started]);
    expect(nextStarts(s, new Set())).toEqual([
      { track: 'a', task_index: 0 },
      { track: 'b', task_index: 0 },
    ]);
    s = stateOf([started, { type: 'orch.task_started', track: 'a', task_index: 0, run_id: 'r1', base: SHA(1) }, { type: 'orch.task_finished', track: 'a', task_index: 0, run_id: 'r1', stop_reason: 'complete', detail: null, head: SHA(2) }]);
    // a1 complete, landing: a's next task starts from a1's checkpoint meanwhile (in a's own slot).
    expect(nextStarts(s, new Set())).toEqual([
      { track: 'a', task_index: 1 },
      { track: 'b', task_index: 0 },
    ]);
    // ...but not while a's running task is still active in the driver.
    expect(nextStarts(s, new Set(['a']))).toEqual([{ track: 'b', task_index: 0 }]);
    s = stateOf([
      started,
      { type: 'orch.task_started', track: 'a', task_index: 0, run_id: 'r1', base: SHA(1) },
      { type: 'orch.task_finished', track: 'a', task_index: 0, run_id: 'r1', stop_reason: 'complete', detail: null, head: SHA(2) },
      { type: 'orch.landed', track: 'a', task_index: 0, run_id: 'r1', head: SHA(2), integration_head: SHA(3), order: 1, verification: [] },
    ]);
    expect(nextStarts(s, new Set(['b']))).toEqual([{ track: 'a', task_index: 1 }]);
    expect(s.integration.head).toBe(SHA(3));
  });

  it('a stopped track starts nothing more; the orchestration ends stopped with the task’s next action', () => {
    const events: EventBody[] = [
      started,
      { type: 'orch.task_started', track: 'a', task_index: 0, run_id: 'r1', base: SHA(1) },
      { type: 'orch.collision', kind: 'claims', track: 'a', other: 'b', files: ['x'], checkpoint: null, policy: 'fail', action: 'stop' },
      { type: 'orch.task_finished', track: 'a', task_index: 0, run_id: 'r1', stop_reason: 'parallel_file_collision', detail: 'x collides with track b', head: null },
    ];
    const s = stateOf(events);
    expect(nextStarts(s, new Set(['b'])).map((n) => n.track)).toEqual(['c']);
    const run = replay(journal([created, ...events, { type: 'orch.completed' }]));
    if (run === null) throw new Error('no run');
    expect(run.status).toBe('STOPPED');
    expect(run.stop_reason).toBe('parallel_file_collision');
    const v = statusView(run, orchestrationOf(run) as OrchestrationState);
    expect(v.tracks[0]).toMatchObject({ id: 'a', state: 'stopped' });
    expect(v.tracks[0]?.tasks[0]).toMatchObject({ stop_reason: 'parallel_file_collision', next_action: 'resolve_branch_mismatch' });
    expect(v.collisions).toBe(1);
  });

  it('an interrupted orchestration says resume', () => {
    const run = replay(journal([created, started, { type: 'orch.stopped', reason: 'interrupted', detail: 'killed' }]));
    if (run === null) throw new Error('no run');
    const v = statusView(run, orchestrationOf(run) as OrchestrationState);
    expect(v).toMatchObject({ status: 'stopped', next_action: 'resume', suggested_command: 'runr orchestrate resume run_o' });
  });
});
