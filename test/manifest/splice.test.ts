import { describe, expect, it } from 'vitest';
import { buildManifest } from '../../src/core/manifest/manifest.js';
import { RowLines } from '../../src/core/manifest/rows.js';
import { entryRow, serializeManifest } from '../../src/core/manifest/serialize.js';
import type { ManifestEntry } from '../../src/index.js';
import { spliceUpsert } from '../../src/manifest/splice.js';
import { anEntry } from '../query/helpers.js';

const T = '2026-02-01T00:00:00.000Z';
const bytes = (entries: ManifestEntry[]) => Buffer.from(serializeManifest(buildManifest(entries, null)));

function apply(buf: Buffer, e: ManifestEntry): Buffer | 'same' | null {
  return spliceUpsert(buf, e.run_id, e.framework, entryRow(e), T);
}

describe('byte splice of one upsert', () => {
  it('appends a new last run, replaces any run, and agrees with a full rewrite', () => {
    let model: ManifestEntry[] = [];
    let buf: Buffer = bytes(model);
    let seed = 7;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let i = 0; i < 200; i++) {
      const replace = model.length > 0 && rand(3) === 0;
      const e = replace
        ? anEntry({ ...model[rand(model.length)], framework: ['runr', 'chatdev', 'ünï'][rand(3)] ?? 'runr', status: 'FAILED', params: { i } })
        : anEntry({ run_id: `run_${String(i).padStart(4, '0')}`, framework: rand(2) ? 'runr' : 'baes', params: { n: 'ü' } });
      const out = apply(buf, e);
      if (e.framework === 'ünï') {
        expect(out).toBeNull(); // not a plain name: the general path handles it
        continue;
      }
      expect(out).toBeInstanceOf(Buffer);
      buf = out as Buffer;
      model = replace ? model.map((m) => (m.run_id === e.run_id ? e : m)) : [...model, e];
      const text = buf.toString('utf8');
      const parsed = JSON.parse(text);
      const expected = buildManifest(model, T);
      expect(parsed).toEqual(JSON.parse(JSON.stringify(expected)));
      expect(RowLines.parse(text)).not.toBeNull();
    }
    expect(model.length).toBeGreaterThan(100);
  });

  it('says "same" when the line is unchanged', () => {
    const e = anEntry({ run_id: 'run_1' });
    expect(apply(bytes([e, anEntry({ run_id: 'run_2' })]), e)).toBe('same');
  });

  it('leaves inserts before the last run, escapes and inconsistent headers to the general path', () => {
    const base = [anEntry({ run_id: 'run_1' }), anEntry({ run_id: 'run_3' })];
    expect(apply(bytes(base), anEntry({ run_id: 'run_2' }))).toBeNull();
    expect(apply(bytes(base), anEntry({ run_id: 'run "q"' }))).toBeNull();
    const stale = Buffer.from(bytes(base).toString('utf8').replace('"total_runs": 2', '"total_runs": 3'));
    expect(apply(stale, anEntry({ run_id: 'run_4' }))).toBeNull();
    const conflict = Buffer.from(bytes(base).toString('utf8').replace('    {"run_id":"run_3"', '<<<<<<< HEAD\n    {"run_id":"run_3"'));
    expect(apply(conflict, anEntry({ run_id: 'run_4' }))).toBeNull();
    expect(apply(Buffer.from('{"runs": []}'), anEntry({ run_id: 'run_4' }))).toBeNull();
  });
});
