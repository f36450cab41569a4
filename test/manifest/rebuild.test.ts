import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getManifest, rebuildManifest } from '../../src/index.js';
import { entryFromRecord } from '../../src/core/manifest/entry.js';
import { updateManifestForRun } from '../../src/manifest/for-run.js';
import { copyDir, createInput, esyRunsFixture, manifestFixtures, readManifestJson, tmpDir, tmpStore } from './helpers.js';

describe('rebuild: Orchestration Runner records (esy)', () => {
  it('indexes a copy of the real runs directory', async () => {
    const dir = copyDir(esyRunsFixture, path.join(tmpDir(), 'runs'));
    const r = await rebuildManifest({ runsDir: dir });
    expect(r.layouts).toEqual(['esy']);
    expect(r.problems).toEqual([]);
    const m = readManifestJson(dir);
    expect(m.total_runs).toBe(2);
    expect(m.runs[0]).toEqual({
      run_id: 'run_20260119T222303959Z_the-word-robot_uc2s1f',
      framework: 'runr',
      path: 'run_20260119T222303959Z_the-word-robot_uc2s1f',
      start_time: '2026-01-19T22:23:03.960Z',
      end_time: null,
      verification_status: 'failed',
      total_tokens_in: 0,
      total_tokens_out: 0,
      kind: 'workflow',
      workflow: 'visual-essay',
      status: 'FAILED',
      stop_reason: null,
      params: {},
      metrics: {},
      tags: {},
    });
    expect(m.runs[1]).toMatchObject({ status: 'RUNNING', verification_status: 'pending' });
  });

  it('reports a broken RUN.json by path and indexes the rest', async () => {
    const dir = copyDir(esyRunsFixture, path.join(tmpDir(), 'runs'));
    const bad = path.join(dir, 'run_20260121T024259697Z_test-partial_qhl9a6', 'record', 'RUN.json');
    fs.writeFileSync(bad, '{"run_id": "x", "status": ');
    fs.mkdirSync(path.join(dir, 'run_20260122T000000000Z_empty_aaaaaa', 'record'), { recursive: true });
    const r = await rebuildManifest({ runsDir: dir, layout: 'esy' });
    expect(r.manifest.runs.map((e) => e.run_id)).toEqual(['run_20260119T222303959Z_the-word-robot_uc2s1f']);
    const problems = r.problems.map((p) => [path.relative(dir, p.path), p.message]);
    expect(problems).toEqual([
      [path.relative(dir, bad), expect.stringMatching(/^\(root\): not valid JSON/)],
      ['run_20260122T000000000Z_empty_aaaaaa/record', 'RUN.json: missing (the run has no record)'],
    ]);
  });
});

describe('rebuild: dev-benchmark layout', () => {
  it('reads nested tokens, reconciliation status and epoch or ISO times; skips broken files', async () => {
    const dir = copyDir(path.join(manifestFixtures, 'devbench'), path.join(tmpDir(), 'runs'));
    const r = await rebuildManifest({ runsDir: dir, layout: 'devbench' });
    expect(r.layouts).toEqual(['devbench']);
    const byId = Object.fromEntries(r.manifest.runs.map((e) => [e.run_id, e]));
    expect(Object.keys(byId).sort()).toEqual(['a1b2c3d4-0001', 'b2c3d4e5-0002', 'c3d4e5f6-0003']);
    expect(byId['a1b2c3d4-0001']).toMatchObject({
      framework: 'chatdev',
      path: 'chatdev/a1b2c3d4-0001',
      start_time: '2025-10-15T08:50:59.000Z',
      end_time: '2025-10-15T09:25:22.000Z',
      verification_status: 'verified',
      total_tokens_in: 287761,
      total_tokens_out: 91329,
      kind: null,
      params: { framework_commit: '52edb89997b4312ad27d8c54584d0a6c59940135' },
      metrics: { TOK_IN: 287761, TOK_OUT: 91329, API_CALLS: 42, COST_USD: 1.25 },
    });
    expect(byId['b2c3d4e5-0002']).toMatchObject({ start_time: '2025-10-16T09:00:00Z', verification_status: 'warning', total_tokens_in: 1000, params: { experiment_name: 'baseline' } });
    // metadata run_id null → the directory name; no metrics.json → the original's defaults.
    expect(byId['c3d4e5f6-0003']).toMatchObject({ framework: 'ghspec', verification_status: 'pending', total_tokens_in: 0, start_time: null });
    expect(r.manifest.frameworks).toEqual({ baes: 1, chatdev: 1, ghspec: 1 });
    const problems = r.problems.map((p) => [path.relative(dir, p.path), p.message]);
    expect(problems).toHaveLength(2);
    expect(problems).toContainEqual(['baes/e5f6a7b8-0005-badtype/metadata.json', expect.stringMatching(/^run_id: expected a string, got 42$/)]);
    expect(problems).toContainEqual(['ghspec/d4e5f6a7-0004-broken/metrics.json', expect.stringMatching(/^\(root\): not valid JSON/)]);
  });

  it('answers the original find_runs question on the rebuilt manifest', async () => {
    const dir = copyDir(path.join(manifestFixtures, 'devbench'), path.join(tmpDir(), 'runs'));
    await rebuildManifest({ runsDir: dir });
    const { findRuns } = await import('../../src/index.js');
    const found = await findRuns({ framework: 'chatdev', verificationStatus: 'verified', minTokens: 100_000 }, { runsDir: dir });
    expect(found.map((e) => e.run_id)).toEqual(['a1b2c3d4-0001']);
  });
});

describe('rebuild: runr store, and mixed layouts', () => {
  it('indexes runr runs (journal replayed), esy records and dev-benchmark runs together under auto', async () => {
    const { runsDir, store } = tmpStore();
    const run = await store.create(createInput('mixed', { params: { seed: 7 } }));
    copyDir(esyRunsFixture, runsDir);
    copyDir(path.join(manifestFixtures, 'devbench', 'chatdev'), path.join(runsDir, 'chatdev'));
    const r = await rebuildManifest({ runsDir });
    expect(r.layouts).toEqual(['runr', 'esy', 'devbench']);
    expect(r.manifest.total_runs).toBe(4);
    expect(r.manifest.runs.find((e) => e.run_id === run.run_id)).toMatchObject({ params: { seed: 7 }, status: 'QUEUED' });
    const only = await rebuildManifest({ runsDir, layout: 'devbench' });
    expect(only.manifest.runs.map((e) => e.run_id)).toEqual(['a1b2c3d4-0001']);
  });

  it('keeps the newer state when the hook sees an older record after a newer one', async () => {
    const { runsDir, store } = tmpStore();
    const created = await store.create(createInput('late'));
    await store.mutate(created.run_id, () => [{ type: 'run.completed', status: 'PASSED' }]);
    // The hook of the earlier change arrives last, with the older record.
    await updateManifestForRun(created, store, { fsync: false });
    expect((await getManifest({ runsDir })).runs[0]).toMatchObject({ status: 'PASSED', verification_status: 'verified' });
  });

  it('round trip: a rebuild equals the manifest the store kept up to date', async () => {
    const { runsDir, store } = tmpStore();
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await store.create(createInput(`rt-${i}`, { params: { seed: i }, tags: { batch: 'b1' } }));
      ids.push(r.run_id);
    }
    await store.mutate(ids[1] as string, () => [{ type: 'run.completed', status: 'PASSED' }]);
    await store.mutate(ids[2] as string, () => [{ type: 'run.completed', status: 'FAILED' }]);
    await store.mutate(ids[3] as string, () => [{ type: 'run.completed', status: 'CANCELED' }]);
    const incremental = await getManifest({ runsDir });
    expect(incremental.total_runs).toBe(6);
    expect(incremental.runs.find((e) => e.run_id === ids[1])).toMatchObject({ status: 'PASSED', verification_status: 'verified' });
    const incRuns = JSON.parse(JSON.stringify(incremental.runs));
    const rebuilt = await rebuildManifest({ runsDir });
    expect(JSON.parse(JSON.stringify(rebuilt.manifest.runs))).toEqual(incRuns);
    expect(rebuilt.manifest.frameworks).toEqual(incremental.frameworks);
  });
});

describe('rebuild: the fast path (record-entry.ts) and the store loader agree', () => {
  it('indexes in-step, lagging and journal-less records as the loader reads them; bad records are reported by file and field', async () => {
    const { runsDir, store } = tmpStore();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await store.create(createInput(`fast-${i}`, { params: { seed: i }, tags: { batch: 'b' } }))).run_id);
    await store.mutate(ids[0] as string, () => [{ type: 'run.completed', status: 'PASSED' }]);
    const [inStep, lagging, noJournal, badStatus, badBytes] = ids as [string, string, string, string, string];
    // Lagging: a journal event the snapshot has not folded (a writer killed after its append).
    const snap = path.join(runsDir, lagging, 'record', 'RUN.json');
    const before = fs.readFileSync(snap);
    await store.mutate(lagging, () => [{ type: 'run.completed', status: 'FAILED' }]);
    fs.writeFileSync(snap, before);
    // A record of another tool: RUN.json only.
    fs.rmSync(path.join(runsDir, noJournal, 'record', 'events.jsonl'));
    // Bad records: a wrong status, and bytes that are not UTF-8 / a NUL.
    const badFile = path.join(runsDir, badStatus, 'record', 'RUN.json');
    fs.rmSync(path.join(runsDir, badStatus, 'record', 'events.jsonl'));
    fs.writeFileSync(badFile, JSON.stringify({ ...(JSON.parse(fs.readFileSync(badFile, 'utf8')) as object), status: 'BOGUS' }));
    const bytesFile = path.join(runsDir, badBytes, 'record', 'RUN.json');
    fs.rmSync(path.join(runsDir, badBytes, 'record', 'events.jsonl'));
    fs.writeFileSync(bytesFile, Buffer.concat([Buffer.from('{"run_id":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]));

    const r = await rebuildManifest({ runsDir });
    // (Loaded after the rebuild: loading the lagging finished run repairs its snapshot.)
    expect(r.manifest.runs).toEqual([inStep, lagging, noJournal].map((id) => entryFromRecord(store.load(id).run)));
    expect(r.manifest.runs.find((e) => e.run_id === lagging)).toMatchObject({ status: 'FAILED' });
    const problems = r.problems.map((p) => [path.relative(runsDir, p.path), p.message]);
    expect(problems).toEqual([
      [path.relative(runsDir, badFile), expect.stringMatching(/^status: /)],
      [path.relative(runsDir, bytesFile), expect.stringMatching(/not valid UTF-8 \(byte 0xff at offset 11\)/)],
    ]);
    // A NUL byte is refused too.
    fs.writeFileSync(bytesFile, '{"run_id":"\u0000"}');
    const again = await rebuildManifest({ runsDir });
    expect(again.problems.map((p) => p.message)).toContainEqual(expect.stringMatching(/contains a NUL byte at offset 11/));
  });
});
