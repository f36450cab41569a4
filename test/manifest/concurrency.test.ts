import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/index.js';
import { parseManifestText } from '../../src/manifest/parse.js';
import { manifestFixtures, tmpDir } from './helpers.js';

const addRuns = path.join(manifestFixtures, 'add-runs.mjs');

function run(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [addRuns, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('concurrent writers', () => {
  it('16 processes adding 50 runs each: all 800 in the manifest, valid JSON, counters right', async () => {
    const root = tmpDir();
    fs.mkdirSync(path.join(root, '.runr'));
    const results = await Promise.all(Array.from({ length: 16 }, (_, w) => run([root, '50', `w${w}`])));
    for (const r of results) expect(r, r.stderr).toMatchObject({ code: 0 });
    const runsDir = path.join(root, '.runr', 'runs');
    const text = fs.readFileSync(path.join(runsDir, 'runs_manifest.json'), 'utf8');
    const m = JSON.parse(text) as Manifest;
    expect(m.total_runs).toBe(800);
    expect(m.runs).toHaveLength(800);
    expect(m.frameworks).toEqual({ runr: 800 });
    const ids = m.runs.map((e) => e.run_id);
    expect(new Set(ids).size).toBe(800);
    expect([...ids].sort()).toEqual(ids);
    const dirs = fs.readdirSync(runsDir).filter((n) => n.startsWith('run_')).sort();
    expect(ids).toEqual(dirs);
    // Every odd run was completed after creation: the manifest shows the later state.
    expect(m.runs.filter((e) => e.status === 'PASSED')).toHaveLength(16 * 25);
    expect(parseManifestText(text).ok).toBe(true);
    expect(fs.existsSync(path.join(runsDir, '.runs_manifest.json.lock'))).toBe(false);
  }, 240_000);
});

describe('lock-free readers while writers patch the file in place', () => {
  it('every read parses and holds every run an earlier read held; both writers land every run', async () => {
    const root = tmpDir();
    try {
      fs.mkdirSync(path.join(root, '.runr'));
      const runsDir = path.join(root, '.runr', 'runs');
      // A manifest to start from, so the readers have something to read at once.
      expect((await run([root, '1', 'seed'])).code).toBe(0);
      const stop = path.join(root, 'stop');
      const readers = Array.from({ length: 2 }, () => {
        const child = spawn(process.execPath, [path.join(manifestFixtures, 'read-loop.mjs'), runsDir, stop], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        return new Promise<{ reads: number; max: number; problems: string[] }>((resolve, reject) => {
          child.on('error', reject);
          child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as { reads: number; max: number; problems: string[] }) : reject(new Error(`reader exited ${String(code)}: ${err}`))));
        });
      });
      const writers = await Promise.all([run([root, '60', 'a']), run([root, '60', 'b'])]);
      for (const w of writers) expect(w, w.stderr).toMatchObject({ code: 0 });
      fs.writeFileSync(stop, '');
      const results = await Promise.all(readers);
      for (const r of results) {
        expect(r.problems).toEqual([]);
        expect(r.reads).toBeGreaterThan(0);
      }
      const m = JSON.parse(fs.readFileSync(path.join(runsDir, 'runs_manifest.json'), 'utf8')) as Manifest;
      expect(m.runs).toHaveLength(121);
      expect(m.total_runs).toBe(121);
      expect(m.runs.filter((e) => e.status === 'PASSED')).toHaveLength(60);
      expect(fs.existsSync(path.join(runsDir, '.runs_manifest.json.wal'))).toBe(false);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }, 240_000);
});
