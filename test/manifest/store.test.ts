import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRuns, getManifest, rebuildManifest, removeRun, updateManifest } from '../../src/index.js';
import type { Manifest, ManifestEntryInput } from '../../src/index.js';
import { RowLines } from '../../src/core/manifest/rows.js';
import { manifestFixtures, readManifestJson, tmpDir } from './helpers.js';

const file = (dir: string) => path.join(dir, 'runs_manifest.json');
let tick = 0;
/** A clock that moves one second per call, so last_updated changes are visible. */
const now = () => new Date(Date.UTC(2026, 0, 1, 0, 0, tick++));

describe('updateManifest / getManifest / removeRun', () => {
  it('returns an empty manifest for a missing file without writing one', async () => {
    const dir = tmpDir();
    const m = await getManifest({ runsDir: dir });
    expect(m).toMatchObject({ version: '1.0', total_runs: 0, frameworks: {}, runs: [] });
    expect(fs.existsSync(file(dir))).toBe(false);
  });

  it('upserts by run id, keeps entries sorted and counters right, and writes canonical text', async () => {
    const dir = tmpDir();
    await updateManifest({ run_id: 'r2', framework: 'chatdev' }, { runsDir: dir, now });
    await updateManifest({ run_id: 'r1', framework: 'baes', total_tokens_in: 5 }, { runsDir: dir, now });
    await updateManifest({ run_id: 'r2', framework: 'baes', verification_status: 'verified' }, { runsDir: dir, now });
    const text = fs.readFileSync(file(dir), 'utf8');
    expect(RowLines.parse(text)).not.toBeNull();
    const m = JSON.parse(text) as Manifest;
    expect(m.runs.map((r) => r.run_id)).toEqual(['r1', 'r2']);
    expect(m.total_runs).toBe(2);
    // The original left the counters stale when a run changed framework.
    expect(m.frameworks).toEqual({ baes: 2 });
    expect(m.runs[1]).toMatchObject({ framework: 'baes', path: 'baes/r2', verification_status: 'verified' });
  });

  it('does not write when nothing changed', async () => {
    const dir = tmpDir();
    await updateManifest({ run_id: 'r1', framework: 'a' }, { runsDir: dir, now });
    const before = fs.readFileSync(file(dir), 'utf8');
    const ino = fs.statSync(file(dir)).ino;
    await updateManifest({ run_id: 'r1', framework: 'a' }, { runsDir: dir, now });
    expect(fs.readFileSync(file(dir), 'utf8')).toBe(before);
    expect(fs.statSync(file(dir)).ino).toBe(ino);
  });

  it('rejects an entry without run_id or framework and writes nothing', async () => {
    const dir = tmpDir();
    await expect(updateManifest({ run_id: 'x' } as unknown as ManifestEntryInput, { runsDir: dir })).rejects.toThrow(/framework: expected a non-empty string/);
    expect(fs.existsSync(file(dir))).toBe(false);
  });

  it('removes a run (counters follow) and reports a missing one without writing', async () => {
    const dir = tmpDir();
    await updateManifest({ run_id: 'r1', framework: 'a' }, { runsDir: dir, now });
    await updateManifest({ run_id: 'r2', framework: 'b' }, { runsDir: dir, now });
    expect(await removeRun('r1', { runsDir: dir, now })).toBe(true);
    const after = fs.readFileSync(file(dir), 'utf8');
    expect(JSON.parse(after)).toMatchObject({ total_runs: 1, frameworks: { b: 1 } });
    expect(await removeRun('nope', { runsDir: dir, now })).toBe(false);
    expect(fs.readFileSync(file(dir), 'utf8')).toBe(after);
  });

  it('sees writes made after a cached read, and hands out frozen entries', async () => {
    const dir = tmpDir();
    await updateManifest({ run_id: 'r1', framework: 'a' }, { runsDir: dir, now });
    const first = await getManifest({ runsDir: dir });
    expect(Object.isFrozen(first.runs[0])).toBe(true);
    expect(() => {
      (first.runs[0] as { framework: string }).framework = 'z';
    }).toThrow();
    await updateManifest({ run_id: 'r2', framework: 'a' }, { runsDir: dir, now });
    expect((await getManifest({ runsDir: dir })).total_runs).toBe(2);
  });

  it('reads the original tool’s manifest and rewrites it canonically on the next update', async () => {
    const dir = tmpDir();
    fs.copyFileSync(path.join(manifestFixtures, 'original-manifest.json'), file(dir));
    expect((await getManifest({ runsDir: dir })).runs.map((r) => r.run_id)).toEqual(['aaa000', 'abc123']);
    await updateManifest({ run_id: 'zzz', framework: 'ghspec' }, { runsDir: dir, now });
    const text = fs.readFileSync(file(dir), 'utf8');
    expect(RowLines.parse(text)).not.toBeNull();
    const m = JSON.parse(text) as Manifest;
    expect(m.runs.map((r) => r.run_id)).toEqual(['aaa000', 'abc123', 'zzz']);
    expect(m.runs[0]?.experiment_name).toBe('baseline');
    expect(m.frameworks).toEqual({ baes: 1, chatdev: 1, ghspec: 1 });
  });
});

describe('a corrupt manifest', () => {
  function corruptStore(): string {
    const dir = tmpDir();
    fs.cpSync(path.join(manifestFixtures, 'devbench'), dir, { recursive: true });
    fs.writeFileSync(file(dir), '{\n  "version": "1.0",\n<<<<<<< HEAD\n');
    return dir;
  }

  it('is moved aside, reported, and rebuilt from the runs on read', async () => {
    const dir = corruptStore();
    const warnings: string[] = [];
    const m = await getManifest({ runsDir: dir, warn: (w) => warnings.push(w), now: () => new Date('2026-02-03T04:05:06.007Z') });
    expect(m.runs.map((r) => r.run_id).sort()).toEqual(['a1b2c3d4-0001', 'b2c3d4e5-0002', 'c3d4e5f6-0003']);
    const aside = path.join(dir, 'runs_manifest.json.corrupt-20260203T040506007Z');
    expect(fs.readFileSync(aside, 'utf8')).toContain('<<<<<<< HEAD');
    expect(warnings[0]).toMatch(/is not a valid manifest \(not valid JSON.*\); moved it to .*runs_manifest\.json\.corrupt-20260203T040506007Z and rebuilt it/);
    expect(warnings.some((w) => w.includes('d4e5f6a7-0004-broken') && w.includes('skipped'))).toBe(true);
    expect(readManifestJson(dir).total_runs).toBe(3);
  });

  it('is recovered before an update, and the update lands', async () => {
    const dir = corruptStore();
    const warnings: string[] = [];
    await updateManifest({ run_id: 'new', framework: 'chatdev' }, { runsDir: dir, warn: (w) => warnings.push(w) });
    const m = readManifestJson(dir);
    expect(m.total_runs).toBe(4);
    expect(m.frameworks).toEqual({ baes: 1, chatdev: 2, ghspec: 1 });
    expect(warnings.length).toBeGreaterThan(0);
    expect(fs.readdirSync(dir).filter((n) => n.includes('.corrupt-'))).toHaveLength(1);
  });
});

describe('findRuns', () => {
  async function sample(): Promise<string> {
    const dir = tmpDir();
    const runs = [
      { run_id: 'r1', framework: 'chatdev', verification_status: 'verified', total_tokens_in: 100_000, total_tokens_out: 5, params: { seed: 1 }, metrics: { loss: 0.5 } },
      { run_id: 'r2', framework: 'chatdev', verification_status: 'pending', params: { seed: 2 }, metrics: { loss: 0.2 } },
      { run_id: 'r3', framework: 'baes', verification_status: 'verified', total_tokens_in: 7, params: { seed: 2 }, metrics: { loss: 0.9 } },
      { run_id: 'r4', framework: 'baes', verification_status: 'warning', params: { seed: 3 } },
    ];
    for (const r of runs) await updateManifest(r, { runsDir: dir, fsync: false });
    return dir;
  }

  it('applies the original filters, a query, an order and a limit', async () => {
    const dir = await sample();
    const ids = async (f: Parameters<typeof findRuns>[0]) => (await findRuns(f, { runsDir: dir })).map((e) => e.run_id);
    expect(await ids({ framework: 'chatdev', verificationStatus: 'verified', minTokens: 100_000 })).toEqual(['r1']);
    expect(await ids({ query: 'params.seed in (2, 3)' })).toEqual(['r2', 'r3', 'r4']);
    expect(await ids({ query: 'params.seed >= 1', orderBy: 'metrics.loss desc' })).toEqual(['r3', 'r1', 'r2', 'r4']);
    expect(await ids({ orderBy: 'metrics.loss', limit: 2 })).toEqual(['r2', 'r1']);
    expect(await ids({})).toEqual(['r1', 'r2', 'r3', 'r4']);
  });

  it('queries a manifest passed in, without reading the disk', async () => {
    const dir = await sample();
    const m = await getManifest({ runsDir: dir });
    fs.rmSync(file(dir));
    expect((await findRuns({ framework: 'baes' }, { manifest: m })).map((e) => e.run_id)).toEqual(['r3', 'r4']);
  });

  it('throws positioned errors for bad queries and orders, and rejects a bad limit', async () => {
    const dir = await sample();
    await expect(findRuns({ query: 'status =' }, { runsDir: dir })).rejects.toMatchObject({ exitCode: 2, column: 9 });
    await expect(findRuns({ orderBy: 'x' }, { runsDir: dir })).rejects.toThrow(/--order-by: column 1/);
    await expect(findRuns({ limit: -1 }, { runsDir: dir })).rejects.toThrow(/--limit/);
  });
});

describe('rebuildManifest', () => {
  it('refuses a missing directory without writing', async () => {
    const dir = path.join(tmpDir(), 'nope');
    await expect(rebuildManifest({ runsDir: dir })).rejects.toThrow(/no such directory/);
    expect(fs.existsSync(dir)).toBe(false);
  });
});
