import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replay } from '../../src/core/reduce/index.js';
import { readJournal, verifyChain } from '../../src/store/journal.js';
import { acquireLock, inspectLock } from '../../src/store/lock.js';
import { openProject } from '../../src/store/project.js';
import type { RunCreateInput } from '../../src/store/run-store.js';
import { RunStore } from '../../src/store/run-store.js';

const FIXTURE_RUNS = path.resolve(__dirname, '../fixtures/esy-visual-essay/runs');

let root: string;
let store: RunStore;
const input: RunCreateInput = {
  kind: 'workflow',
  workflow: { name: 'wf', version: 'v', slug: 'demo', artifact_path: 'a' },
  depth: 'standard',
  prompt: null,
  params: {},
  gates: [{ gate: 'G1', name: 'One' }],
};
const started = (attempt: number) => ({ type: 'gate.started' as const, gate: 'G1', name: 'One', attempt, agent: 'x', executor: 'manual', prompt_sha256: null, required_outputs: [] });

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'runr-store-'));
  fs.mkdirSync(path.join(root, '.git'));
  store = new RunStore(openProject(root), { warn: () => undefined, env: { API_TOKEN: 'hunter2-secret' } });
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('run store', () => {
  it('creates runs exclusively even when two start in the same millisecond with the same random suffix', async () => {
    const now = () => new Date('2026-01-01T00:00:00.000Z');
    let n = 0;
    const rnd = () => (n++ < 2 ? 'aaaaaa' : 'bbbbbb');
    const s = new RunStore(openProject(root), { now, random6: rnd, warn: () => undefined });
    const [a, b] = await Promise.all([s.create(input), s.create(input)]);
    expect(a.run_id).not.toBe(b.run_id);
    expect(s.listIds()).toHaveLength(2);
  });

  it('journals every change with a prev-hash chain and keeps attempt files in step', async () => {
    const run = await store.create(input);
    await store.mutate(run.run_id, () => [started(1)]);
    await store.mutate(run.run_id, () => [{ type: 'invocation.recorded', invocation: { invocation_id: 'inv_1_abcd', gate: 'G1', agent: 'x', model: 'm', started_at: 't', finished_at: 't', duration_ms: 0, status: 'SUCCESS', input_refs: [], output_refs: [] }, attempt: 1 }]);
    const j = readJournal(path.join(store.recordDir(run.run_id), 'events.jsonl'));
    expect(j.events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(verifyChain(j)).toEqual([]);
    const attempt = JSON.parse(fs.readFileSync(path.join(store.recordDir(run.run_id), 'gates/G1/attempt-1.json'), 'utf8'));
    expect(attempt.invocation_ids).toEqual(['inv_1_abcd']);
    expect(attempt.schema_version).toBe(1);
  });

  it('rebuilds a lagging snapshot from the journal (crash between append and snapshot)', async () => {
    const run = await store.create(input);
    const snapFile = path.join(store.recordDir(run.run_id), 'RUN.json');
    const before = fs.readFileSync(snapFile, 'utf8');
    await store.mutate(run.run_id, () => [started(1)]);
    fs.writeFileSync(snapFile, before); // simulate: journal appended, snapshot not yet replaced
    fs.rmSync(path.join(store.recordDir(run.run_id), 'gates'), { recursive: true });
    store = new RunStore(openProject(root), { warn: () => undefined }); // a new process after the crash
    const loaded = store.load(run.run_id);
    expect(loaded.lagging).toBe(true);
    expect(loaded.run.gates[0]!.status).toBe('RUNNING');
    await store.mutate(run.run_id, () => [{ type: 'run.completed', status: 'CANCELED' }]);
    const after = JSON.parse(fs.readFileSync(snapFile, 'utf8'));
    expect(after.gates[0].attempts).toHaveLength(1);
    expect(after.status).toBe('CANCELED');
    expect(fs.existsSync(path.join(store.recordDir(run.run_id), 'gates/G1/attempt-1.json'))).toBe(true);
  });

  it('tolerates and reports a torn last journal line, and cuts it off on the next write', async () => {
    const run = await store.create(input);
    const jf = path.join(store.recordDir(run.run_id), 'events.jsonl');
    fs.appendFileSync(jf, '{"schema_version":1,"seq":2,"ts":"x","pr');
    const loaded = store.load(run.run_id);
    expect(loaded.torn).not.toBeNull();
    expect(loaded.run.status).toBe('QUEUED');
    await store.mutate(run.run_id, () => [started(1)]);
    const j = readJournal(jf);
    expect(j.torn).toBeNull();
    expect(verifyChain(j)).toEqual([]);
    expect(j.events).toHaveLength(2);
  });

  it('replay of the journal equals the snapshot', async () => {
    const run = await store.create(input);
    await store.mutate(run.run_id, () => [started(1)]);
    await store.mutate(run.run_id, () => [{ type: 'gate.failed', gate: 'G1', attempt: 1, created: false, agent: 'x', reason: 'no', blocking: true, required_outputs: [] }]);
    const j = readJournal(path.join(store.recordDir(run.run_id), 'events.jsonl'));
    const snap = JSON.parse(fs.readFileSync(path.join(store.recordDir(run.run_id), 'RUN.json'), 'utf8'));
    expect(replay(j.events)).toEqual(snap);
    expect(snap.status).toBe('FAILED');
    expect(snap.events.map((e: { type: string }) => e.type)).toEqual(['RUN_STARTED', 'GATE_STARTED', 'GATE_FAILED']);
  });

  it('redacts secrets before anything is written', async () => {
    const run = await store.create({ ...input, params: { note: 'token hunter2-secret here' } });
    const raw = fs.readFileSync(path.join(store.recordDir(run.run_id), 'events.jsonl'), 'utf8') + fs.readFileSync(path.join(store.recordDir(run.run_id), 'RUN.json'), 'utf8');
    expect(raw).not.toContain('hunter2-secret');
    expect(raw).toContain('[REDACTED:API_TOKEN]');
  });

  it('imports a record written by the original tool, dropping absolute paths', async () => {
    const runsDir = path.join(root, '.runr', 'runs');
    fs.cpSync(FIXTURE_RUNS, runsDir, { recursive: true });
    const id = 'run_20260121T024259697Z_test-partial_qhl9a6';
    expect(store.load(id).legacy).toBe(true);
    await store.mutate(id, () => [started(1)]);
    const snap = fs.readFileSync(path.join(store.recordDir(id), 'RUN.json'), 'utf8');
    expect(snap).not.toContain('/Users/');
    const loaded = store.load(id);
    expect(loaded.legacy).toBe(false);
    expect(loaded.run.gates.find((g) => g.gate === 'G2')!.attempts).toHaveLength(2);
  });

  it('resolves latest and unique prefixes, rejects ambiguous ones', async () => {
    const s = new RunStore(openProject(root), { now: () => new Date('2026-01-01T00:00:00.000Z'), warn: () => undefined });
    const a = await s.create(input);
    const b = await new RunStore(openProject(root), { now: () => new Date('2026-01-02T00:00:00.000Z'), warn: () => undefined }).create(input);
    expect(s.resolve('latest')).toBe(b.run_id);
    expect(s.resolve(a.run_id.slice(0, 14))).toBe(a.run_id);
    expect(() => s.resolve('run_2026')).toThrow(/matches 2 runs/);
    expect(() => s.resolve('../x')).toThrow(/invalid run id/);
  });
});

describe('lock', () => {
  it('a lock whose holder died is stale and is taken over', async () => {
    const file = path.join(root, 'x.lock');
    fs.writeFileSync(file, JSON.stringify({ schema_version: 1, pid: 2 ** 22 + 12345, host: os.hostname(), token: 't', acquired_at: 'x' }));
    expect(inspectLock(file).kind).toBe('stale');
    const held = await acquireLock(file, { waitMs: 100 });
    expect(inspectLock(file).kind).toBe('held');
    held.release();
    expect(inspectLock(file).kind).toBe('free');
  });
  it('a live holder blocks until the wait expires', async () => {
    const file = path.join(root, 'y.lock');
    const held = await acquireLock(file);
    await expect(acquireLock(file, { waitMs: 50 })).rejects.toThrow(/locked by pid/);
    held.release();
  });
});
