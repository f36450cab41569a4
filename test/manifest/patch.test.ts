import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildManifest } from '../../src/core/manifest/manifest.js';
import { RowLines } from '../../src/core/manifest/rows.js';
import { entryRow, serializeManifest } from '../../src/core/manifest/serialize.js';
import type { ManifestEntry } from '../../src/index.js';
import { readManifestBytes } from '../../src/manifest/io.js';
import { resolveOptions } from '../../src/manifest/options.js';
import { patchUpsert, planPatch } from '../../src/manifest/patch.js';
import { changeManifest } from '../../src/manifest/update.js';
import type { Patch } from '../../src/manifest/wal.js';
import { encodePatch, readWal, walFile } from '../../src/manifest/wal.js';
import { anEntry } from '../query/helpers.js';

const T = '2026-02-01T00:00:00.000Z';
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function runsDir(entries: ManifestEntry[]): { dir: string; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runr-patch-'));
  dirs.push(dir);
  const file = path.join(dir, 'runs_manifest.json');
  fs.writeFileSync(file, serializeManifest(buildManifest(entries, T)));
  return { dir, file };
}

const id = (i: number) => `run_${String(i).padStart(5, '0')}`;
const expected = (model: ManifestEntry[]) => JSON.parse(JSON.stringify(buildManifest(model, T))) as unknown;
/** The manifest's runs and counters (a writer stamps its own last_updated). */
const body = (text: string) => {
  const { last_updated: _, ...rest } = JSON.parse(text) as Record<string, unknown>;
  return rest;
};
const expectedBody = (model: ManifestEntry[]) => body(JSON.stringify(buildManifest(model, T)));

/** The states a patch takes the file through, step by step (what a kill -9 between steps leaves). */
function steps(before: Buffer, p: Patch): Buffer[] {
  const end = p.at + p.tail.length;
  const padded = before.length > end ? Buffer.concat([p.tail, Buffer.alloc(before.length - end, 0x20)]) : p.tail;
  const tailWritten = Buffer.concat([before.subarray(0, p.at), padded]);
  const cut = tailWritten.subarray(0, end);
  return [tailWritten, Buffer.from(cut), Buffer.concat([p.head, cut.subarray(p.head.length)])];
}

describe('in-place patch of one upsert', () => {
  it('appends, inserts and replaces in place; agrees with a full rewrite after every step', () => {
    let model: ManifestEntry[] = [];
    for (let i = 0; i < 12; i++) model.push(anEntry({ run_id: id(i * 10), path: id(i * 10) }));
    const { dir, file } = runsDir(model);
    let seed = 11;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    let patched = 0;
    for (let k = 0; k < 150; k++) {
      const pick = rand(4);
      const e =
        pick === 0
          ? anEntry({ ...model[rand(model.length)], framework: ['runr', 'chatdev'][rand(2)] as string, status: 'FAILED', end_time: null, params: { k } })
          : pick === 1
            ? anEntry({ run_id: id(rand(200) * 10 + 5), path: 'x', params: { k } })
            : anEntry({ run_id: id(1000 + k), path: id(1000 + k), metrics: { loss: k } });
      const before = fs.readFileSync(file);
      const plan = planPatch(file, e.run_id, e.framework, entryRow(e), T);
      const r = patchUpsert({ runsDir: dir, fsync: false }, e.run_id, e.framework, entryRow(e), T);
      const exists = model.some((m) => m.run_id === e.run_id);
      const next = exists ? model.map((m) => (m.run_id === e.run_id ? e : m)) : [...model, e];
      if (r === null) {
        // The header changed length (12 → 100 runs passes 99 → 100): the caller rewrites the file.
        expect(String(next.length).length).not.toBe(String(model.length).length);
        fs.writeFileSync(file, serializeManifest(buildManifest(next, T)));
        model = next;
        continue;
      }
      expect(r).toBe('patched');
      patched++;
      model = next;
      const text = fs.readFileSync(file, 'utf8');
      expect(JSON.parse(text)).toEqual(expected(model));
      expect(RowLines.parse(text)).not.toBeNull();
      expect(fs.existsSync(walFile(dir))).toBe(false);
      // Every state between the writes is valid JSON holding every entry (old or new for this one).
      for (const state of steps(before, plan as Patch)) {
        const m = JSON.parse(state.toString('utf8')) as { runs: ManifestEntry[] };
        expect(new Set(m.runs.map((x) => x.run_id))).toEqual(new Set(model.filter((x) => x.run_id !== e.run_id || exists).map((x) => x.run_id)).add(e.run_id));
      }
    }
    expect(patched).toBeGreaterThan(100);
    expect(planPatch(file, model[3]?.run_id as string, (model[3] as ManifestEntry).framework, entryRow(model[3] as ManifestEntry), T)).toBe('same');
  });

  it('a killed writer: readers fold its log into what they read, the next writer completes it', async () => {
    const model = Array.from({ length: 20 }, (_, i) => anEntry({ run_id: id(i), path: id(i) }));
    const { dir, file } = runsDir(model);
    const e = anEntry({ run_id: id(20), path: id(20), status: 'RUNNING', end_time: null });
    const before = fs.readFileSync(file);
    const plan = planPatch(file, e.run_id, e.framework, entryRow(e), T) as Patch;
    const want = expected([...model, e]);
    for (const state of steps(before, plan)) {
      fs.writeFileSync(file, state);
      fs.writeFileSync(walFile(dir), encodePatch(plan));
      expect(JSON.parse((readManifestBytes(file) as Buffer).toString('utf8'))).toEqual(want);
    }
    // Also before any byte reached the file.
    fs.writeFileSync(file, before);
    expect(JSON.parse((readManifestBytes(file) as Buffer).toString('utf8'))).toEqual(want);
    // The next writer applies the log first.
    const other = anEntry({ run_id: id(21), path: id(21) });
    await changeManifest(await resolveOptions({ runsDir: dir, fsync: false }), () => ({ upsert: [other] }));
    expect(body(fs.readFileSync(file, 'utf8'))).toEqual(expectedBody([...model, e, other]));
    expect(readWal(dir).kind).toBe('none');
  });

  it('a torn log is dropped (the file was not touched); a log for a replaced file re-adds its entries', async () => {
    const model = Array.from({ length: 5 }, (_, i) => anEntry({ run_id: id(i), path: id(i) }));
    const { dir, file } = runsDir(model);
    const e = anEntry({ run_id: id(9), path: id(9) });
    const plan = planPatch(file, e.run_id, e.framework, entryRow(e), T) as Patch;
    const log = encodePatch(plan);
    fs.writeFileSync(walFile(dir), log.subarray(0, log.length - 3));
    expect(readWal(dir).kind).toBe('torn');
    expect(JSON.parse((readManifestBytes(file) as Buffer).toString('utf8'))).toEqual(expected(model));
    const o = await resolveOptions({ runsDir: dir, fsync: false });
    await changeManifest(o, () => ({ upsert: [model[0] as ManifestEntry] }));
    expect(readWal(dir).kind).toBe('none');
    expect(body(fs.readFileSync(file, 'utf8'))).toEqual(expectedBody(model));

    // The manifest replaced (say a checkout) while a complete log waits: its entry is upserted again.
    fs.writeFileSync(walFile(dir), log);
    const replaced = [anEntry({ run_id: id(0), path: id(0) })];
    fs.writeFileSync(file, serializeManifest(buildManifest(replaced, T)));
    await changeManifest(o, () => ({ upsert: [] }));
    expect(readWal(dir).kind).toBe('none');
    expect(body(fs.readFileSync(file, 'utf8'))).toEqual(expectedBody([...replaced, e]));
  });
});
