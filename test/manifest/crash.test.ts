import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readManifestBytes } from '../../src/manifest/io.js';
import { parseManifestText } from '../../src/manifest/parse.js';
import { readWal } from '../../src/manifest/wal.js';
import { runrJson } from '../helpers/cli.js';
import type { RebuildJson } from './helpers.js';
import { manifestFixtures, readManifestJson, tmpDir } from './helpers.js';

const addRuns = path.join(manifestFixtures, 'add-runs.mjs');

/** Start a writer, wait until it has created `after` runs, then kill -9 it after a random short delay. */
function runAndKill(root: string, slug: string, after: number, created: string[] = []): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [addRuns, root, 'forever', slug], { stdio: ['ignore', 'pipe', 'pipe'] });
    let seen = 0;
    let killing = false;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      const lines = d.toString().split('\n').filter((l) => l.startsWith('created '));
      created.push(...lines.map((l) => l.slice('created '.length).trim()));
      seen += lines.length;
      if (seen >= after && !killing) {
        killing = true;
        // Land anywhere in the next few updates: lock held, temp file half written, rename pending.
        setTimeout(() => child.kill('SIGKILL'), Math.random() * 15);
      }
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`writer exited on its own (${String(_code)}): ${stderr}`))));
  });
}

describe('kill -9 during manifest updates', () => {
  it('never loses an entry: readers fold a patch left half done, the next writer completes it; rebuild restores the runs it missed', async () => {
    const root = tmpDir();
    fs.mkdirSync(path.join(root, '.runr'));
    const runsDir = path.join(root, '.runr', 'runs');
    const file = path.join(runsDir, 'runs_manifest.json');
    const kills = 60;
    let known = new Set<string>();
    let leftLogs = 0;
    for (let i = 0; i < kills; i++) {
      // Runs the writer reported as created: their manifest update had returned.
      const created: string[] = [];
      await runAndKill(root, `k${i}`, 1 + (i % 3), created);
      // A writer killed in the middle of an in-place patch leaves its log (wal.ts); readers fold it.
      const wal = readWal(runsDir).kind;
      if (wal !== 'none') leftLogs++;
      // Without a log the file itself is complete; with one, it is valid JSON at every step of the
      // patch (the log also covers a write cut inside a system call, so that is not asserted).
      if (wal === 'none') expect(() => JSON.parse(fs.readFileSync(file, 'utf8'))).not.toThrow();
      const text = (readManifestBytes(file) as Buffer).toString('utf8');
      const parsed = parseManifestText(text);
      expect(parsed.ok, `after kill ${i + 1}: ${parsed.ok ? '' : parsed.problem}`).toBe(true);
      expect(() => JSON.parse(text)).not.toThrow();
      // A kill during an update never loses an entry: every entry from before, and every run the
      // writer finished, is still there.
      const ids = new Set(parsed.ok ? parsed.manifest.runs.map((e) => e.run_id) : []);
      for (const id of [...known, ...created]) expect(ids.has(id), `after kill ${i + 1}: lost ${id}`).toBe(true);
      known = ids;
    }
    // One more writer that is not killed: it completes any patch left behind, and the file itself
    // is then complete (what `git add` would commit).
    const last = spawnSync(process.execPath, [addRuns, root, '1', 'last'], { encoding: 'utf8' });
    expect(last.status, last.stderr).toBe(0);
    expect(readWal(runsDir).kind).toBe('none');
    const settled = parseManifestText(fs.readFileSync(file, 'utf8'));
    expect(settled.ok).toBe(true);
    for (const id of known) expect(settled.ok && settled.manifest.runs.some((e) => e.run_id === id), id).toBe(true);
    console.log(`kill -9 during manifest updates: ${kills} kills, ${leftLogs} left a patch log`);
    const before = readManifestJson(runsDir);
    const dirs = fs.readdirSync(runsDir).filter((n) => n.startsWith('run_'));
    expect(dirs.length).toBeGreaterThanOrEqual(kills);
    // A killed writer's lock never blocks the next one, and nothing but temp litter is left.
    const r = runrJson<RebuildJson>(['manifest', 'rebuild', '--dir', runsDir], { cwd: root });
    expect(r.status).toBe(0);
    const after = readManifestJson(runsDir);
    const indexed = new Set(after.runs.map((e) => e.run_id));
    const skipped = new Set(r.json.problems.map((p) => path.relative(runsDir, path.resolve(root, p.path)).split(path.sep)[0]));
    // Every run directory is either indexed or reported (a run killed before its first record).
    for (const d of dirs) expect(indexed.has(d) || skipped.has(d), d).toBe(true);
    expect(skipped.size).toBeLessThanOrEqual(kills);
    // Everything the incremental manifest had survives the rebuild.
    for (const e of before.runs) expect(indexed.has(e.run_id)).toBe(true);
    expect(after.total_runs).toBe(after.runs.length);
    expect(fs.readdirSync(runsDir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  }, 300_000);
});
