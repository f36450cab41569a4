/**
 * A finished run killed after its last journal append (issue 9): RUN.json still holds the state
 * before the last event and the manifest still says RUNNING. Nothing writes to a finished run
 * again, so the readers repair it: `runr status`, `runr run list` and `runr audit` each report the
 * run as it ended and leave RUN.json, the attempt files and runs_manifest.json in step on disk.
 * A reader that cannot take the writer lock (a live holder) or cannot write serves the replay and
 * changes nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournalEvent } from '../../src/core/events/index.js';
import { replay } from '../../src/core/reduce/index.js';
import { makeRepo, runr } from '../helpers/cli.js';
import { makeTaskRepo } from '../tasks/helpers.js';
import { removeRepo, tempDir } from './helpers.js';

interface Stale {
  /** A repository holding the stale state (fresh copy for each test). */
  copy(): string;
  id: string;
  ended: string;
}

const dirs: string[] = [];
let workflow: Stale;
let task: Stale;

const runsDir = (repo: string) => path.join(repo, '.runr', 'runs');
const recordDir = (repo: string, id: string) => path.join(runsDir(repo), id, 'record');
const journalLines = (repo: string, id: string) => fs.readFileSync(path.join(recordDir(repo, id), 'events.jsonl'), 'utf8').trimEnd().split('\n');
const snapshot = (repo: string, id: string) => JSON.parse(fs.readFileSync(path.join(recordDir(repo, id), 'RUN.json'), 'utf8')) as { status: string; journal_seq: number };
function manifestStatus(repo: string, id: string): string | undefined {
  const m = JSON.parse(fs.readFileSync(path.join(runsDir(repo), 'runs_manifest.json'), 'utf8')) as { runs: Array<{ run_id: string; status: string }> };
  return m.runs.find((r) => r.run_id === id)?.status;
}

function ok(repo: string, args: string[]): string {
  const r = runr(args, { cwd: repo });
  if (r.status !== 0) throw new Error(`runr ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** A frozen copy of `repo` to clone the stale state from. */
function freeze(repo: string): () => string {
  return () => {
    const d = tempDir('runr-stale-');
    dirs.push(d);
    fs.cpSync(repo, d, { recursive: true });
    return d;
  };
}

beforeAll(() => {
  // A workflow run: RUN.json and the manifest saved before `run complete`, put back after it.
  const repo = makeRepo();
  dirs.push(repo);
  const id = (JSON.parse(ok(repo, ['run', 'start', '--workflow', 'visual-essay', '--slug', 's', '--artifact-path', 'essays/s', '--json'])) as { run_id: string }).run_id;
  ok(repo, ['gate', 'start', '--run', id, '--gate', 'G1', '--agent', 'a']);
  ok(repo, ['invocation', 'record', '--run', id, '--gate', 'G1', '--agent', 'a']);
  const snapFile = path.join(recordDir(repo, id), 'RUN.json');
  const manifest = path.join(runsDir(repo), 'runs_manifest.json');
  const oldSnap = fs.readFileSync(snapFile);
  const oldManifest = fs.readFileSync(manifest);
  expect(manifestStatus(repo, id)).toBe('RUNNING');
  ok(repo, ['run', 'complete', '--run', id, '--status', 'CANCELED']);
  fs.writeFileSync(snapFile, oldSnap);
  fs.writeFileSync(manifest, oldManifest);
  expect(snapshot(repo, id).journal_seq).toBe(journalLines(repo, id).length - 1);
  workflow = { copy: freeze(repo), id, ended: 'CANCELED' };

  // A task run that completed: RUN.json rolled back to the replay of all but its last event, and
  // its manifest entry back to RUNNING, as a kill right after the last journal append leaves them.
  const trepo = makeTaskRepo();
  dirs.push(trepo);
  const out = JSON.parse(ok(trepo, ['run', '--task', '.runr/tasks/task.md', '--json', '--foreground'])) as { run_id: string };
  const tid = out.run_id;
  expect(snapshot(trepo, tid).status).toBe('PASSED');
  const events = journalLines(trepo, tid).map((l) => JSON.parse(l) as JournalEvent);
  const before = replay(events.slice(0, -1));
  expect(before?.status).toBe('RUNNING');
  fs.writeFileSync(path.join(recordDir(trepo, tid), 'RUN.json'), `${JSON.stringify(before, null, 2)}\n`);
  const mf = path.join(runsDir(trepo), 'runs_manifest.json');
  const m = JSON.parse(fs.readFileSync(mf, 'utf8')) as { runs: Array<{ run_id: string; status: string; end_time: string | null }> };
  for (const r of m.runs) if (r.run_id === tid) Object.assign(r, { status: 'RUNNING', end_time: null });
  fs.writeFileSync(mf, `${JSON.stringify(m, null, 2)}\n`);
  task = { copy: freeze(trepo), id: tid, ended: 'PASSED' };
}, 180_000);

afterAll(() => {
  for (const d of dirs) removeRepo(d);
});

/** RUN.json folds the whole journal, the manifest has the final status, and audit passes. */
function expectRepaired(repo: string, s: Stale): void {
  expect(snapshot(repo, s.id).journal_seq).toBe(journalLines(repo, s.id).length);
  expect(snapshot(repo, s.id).status).toBe(s.ended);
  expect(manifestStatus(repo, s.id)).toBe(s.ended);
  const audit = runr(['audit', s.id, '--json'], { cwd: repo });
  expect(audit.status, audit.stdout).toBe(0);
  expect((JSON.parse(audit.stdout) as { snapshot: { in_step: boolean } }).snapshot.in_step).toBe(true);
}

describe('a finished run killed after its last journal event is repaired by readers', () => {
  for (const kind of ['workflow', 'task'] as const) {
    const s = () => (kind === 'workflow' ? workflow : task);

    it(`${kind} run: runr status reports it ended and repairs RUN.json and the manifest`, () => {
      const repo = s().copy();
      const r = runr(['status', s().id, '--json'], { cwd: repo });
      expect(r.status, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as { status: string }).status).toBe(s().ended);
      expectRepaired(repo, s());
    });

    it(`${kind} run: runr run list reports it ended and repairs it`, () => {
      const repo = s().copy();
      const r = runr(['run', 'list', '--json'], { cwd: repo });
      expect(r.status, r.stderr).toBe(0);
      const runs = (JSON.parse(r.stdout) as { runs: Array<{ run_id: string; status: string }> }).runs;
      expect(runs.find((x) => x.run_id === s().id)?.status).toBe(s().ended);
      expectRepaired(repo, s());
    });

    it(`${kind} run: runr audit passes, says it repaired the snapshot, and leaves it in step`, () => {
      const repo = s().copy();
      const r = runr(['audit', s().id], { cwd: repo });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toMatch(/repaired now: it was at event \d+, the run had finished/);
      expectRepaired(repo, s());
    });
  }

  it('manifest rebuild indexes the run as it ended', () => {
    const repo = workflow.copy();
    ok(repo, ['manifest', 'rebuild', '--dir', '.runr/runs']);
    expectRepaired(repo, workflow);
  });

  it('a reader that cannot take the writer lock serves the replay and writes nothing', () => {
    const repo = workflow.copy();
    const lock = path.join(runsDir(repo), workflow.id, 'logs', 'writer.lock');
    // Held by a live process on this host (this test).
    fs.writeFileSync(lock, JSON.stringify({ schema_version: 1, pid: process.pid, host: os.hostname(), token: 'held', acquired_at: new Date().toISOString(), purpose: 'write' }));
    const snapBefore = fs.readFileSync(path.join(recordDir(repo, workflow.id), 'RUN.json'), 'utf8');
    const r = runr(['status', workflow.id, '--json'], { cwd: repo });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect((JSON.parse(r.stdout) as { status: string }).status).toBe('CANCELED');
    expect(fs.readFileSync(path.join(recordDir(repo, workflow.id), 'RUN.json'), 'utf8')).toBe(snapBefore);
    expect(manifestStatus(repo, workflow.id)).toBe('RUNNING');
    fs.rmSync(lock);
  });

  it('a reader that cannot write (logs/ is not a directory; a read-only tree when not root) serves the replay, no error', () => {
    const repo = workflow.copy();
    const runDir = path.join(runsDir(repo), workflow.id);
    fs.rmSync(path.join(runDir, 'logs'), { recursive: true, force: true });
    fs.writeFileSync(path.join(runDir, 'logs'), 'not a directory\n');
    const snapBefore = fs.readFileSync(path.join(recordDir(repo, workflow.id), 'RUN.json'), 'utf8');
    for (const args of [['status', workflow.id, '--json'], ['run', 'list', '--json']]) {
      const r = runr(args, { cwd: repo });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain('"CANCELED"');
    }
    expect(fs.readFileSync(path.join(recordDir(repo, workflow.id), 'RUN.json'), 'utf8')).toBe(snapBefore);
    if (process.getuid?.() === 0) return; // root writes through any mode bits
    fs.rmSync(path.join(runDir, 'logs'));
    const chmodAll = (mode: number) => {
      const walk = (d: string) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) walk(path.join(d, e.name));
        fs.chmodSync(d, mode);
      };
      walk(runsDir(repo));
    };
    chmodAll(0o555);
    try {
      const r = runr(['status', workflow.id, '--json'], { cwd: repo });
      expect(r.status, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as { status: string }).status).toBe('CANCELED');
    } finally {
      chmodAll(0o755);
    }
  });

  it('run show notes the repair', () => {
    const repo = workflow.copy();
    const r = runr(['run', 'show', '--run', workflow.id, '--json'], { cwd: repo });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('rebuilt from the journal and saved');
    expectRepaired(repo, workflow);
  });
});

describe('the write that finishes a run', () => {
  it('updates the index (the store hook) before RUN.json goes in step, so no kill can leave RUN.json finished and the index stale', async () => {
    const { RunStore } = await import('../../src/store/run-store.js');
    const { openProject } = await import('../../src/store/project.js');
    const root = tempDir('runr-finish-order-');
    dirs.push(root);
    fs.mkdirSync(path.join(root, '.git'));
    const seen: Array<{ status: string; seq: number | undefined; onDisk: number }> = [];
    const store = new RunStore(openProject(root), {
      warn: () => undefined,
      fsync: false,
      hooks: {
        onChanged: (run, st) => {
          const disk = JSON.parse(fs.readFileSync(path.join(st.recordDir(run.run_id), 'RUN.json'), 'utf8')) as { journal_seq: number };
          seen.push({ status: run.status, seq: run.journal_seq, onDisk: disk.journal_seq });
        },
      },
    });
    const run = await store.create({ kind: 'workflow', workflow: { name: 'wf', version: 'v', slug: 'demo', artifact_path: 'a' }, depth: 'standard', prompt: null, params: {}, gates: [{ gate: 'G1', name: 'One' }] });
    await store.mutate(run.run_id, () => [{ type: 'gate.started', gate: 'G1', name: 'One', attempt: 1, agent: 'x', executor: 'manual', prompt_sha256: null, required_outputs: [] }]);
    await store.mutate(run.run_id, () => [{ type: 'run.completed', status: 'CANCELED' }]);
    const finishing = seen.find((x) => x.status === 'CANCELED');
    expect(finishing).toBeDefined();
    expect(finishing!.onDisk).toBeLessThan(finishing!.seq ?? 0);
    // Other changes are indexed after their snapshot, as before.
    expect(seen.filter((x) => x.status !== 'CANCELED').every((x) => x.onDisk === x.seq)).toBe(true);
    expect(seen.filter((x) => x.status === 'CANCELED')).toHaveLength(1);
    expect((JSON.parse(fs.readFileSync(path.join(store.recordDir(run.run_id), 'RUN.json'), 'utf8')) as { journal_seq: number }).journal_seq).toBe(3);
  });
});
