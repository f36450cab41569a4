import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkEntry } from '../../src/core/manifest/check.js';
import { ENTRY_KEYS, entryFromRecord, normalizeTime, VERIFICATION_BY_STATUS } from '../../src/core/manifest/entry.js';
import { compileFilters } from '../../src/core/manifest/filters.js';
import { buildManifest } from '../../src/core/manifest/manifest.js';
import { RowLines, lineHead } from '../../src/core/manifest/rows.js';
import { entryRow, serializeManifest } from '../../src/core/manifest/serialize.js';
import type { RunRecord } from '../../src/core/schemas/run.js';
import { parseManifestText } from '../../src/manifest/parse.js';
import { anEntry } from '../query/helpers.js';
import { manifestFixtures } from './helpers.js';

function aRecord(over: Partial<RunRecord> = {}): RunRecord {
  return {
    run_id: 'run_20260119T222303959Z_demo_abc123',
    kind: 'task',
    workflow: { name: 'wf', version: 'local-dev', slug: 'demo', artifact_path: 'a' },
    depth: 'standard',
    status: 'PASSED',
    started_at: '2026-01-19T22:23:03.960Z',
    finished_at: '2026-01-19T22:24:03.960Z',
    gates: [],
    invocations: [],
    artifacts_index: [],
    validations: [],
    events: [],
    ...over,
  } as RunRecord;
}

describe('entry from a record', () => {
  it('fills the original fields, then runr’s, in order', () => {
    const e = entryFromRecord(aRecord({ params: { seed: 1 }, metrics: { tokens_in: 10, tokens_out: 5 }, tags: { t: 'x' }, stop_reason: null }));
    expect(Object.keys(e)).toEqual([...ENTRY_KEYS]);
    expect(e).toMatchObject({ framework: 'runr', path: e.run_id, start_time: '2026-01-19T22:23:03.960Z', end_time: '2026-01-19T22:24:03.960Z', verification_status: 'verified', total_tokens_in: 10, total_tokens_out: 5, kind: 'task', workflow: 'wf', status: 'PASSED', params: { seed: 1 }, tags: { t: 'x' } });
  });

  it('derives the verification status from the run status unless the record has one', () => {
    for (const [status, v] of Object.entries(VERIFICATION_BY_STATUS)) {
      expect(entryFromRecord(aRecord({ status: status as RunRecord['status'] })).verification_status).toBe(v);
    }
    expect(entryFromRecord(aRecord({ verification_status: 'warning' })).verification_status).toBe('warning');
    expect(entryFromRecord(aRecord({ framework: 'chatdev' })).framework).toBe('chatdev');
  });

  it('reads token counters under the original and dev-benchmark names too, and defaults the kind', () => {
    expect(entryFromRecord(aRecord({ metrics: { total_tokens_in: 7, TOK_OUT: 3 } }))).toMatchObject({ total_tokens_in: 7, total_tokens_out: 3 });
    expect(entryFromRecord(aRecord({ kind: undefined })).kind).toBe('workflow');
  });

  it('normalizes epoch seconds and milliseconds to ISO', () => {
    expect(normalizeTime(1760518259)).toBe('2025-10-15T08:50:59.000Z');
    expect(normalizeTime(1760518259000)).toBe('2025-10-15T08:50:59.000Z');
    expect(normalizeTime('2025-10-15T08:50:59Z')).toBe('2025-10-15T08:50:59Z');
    expect(normalizeTime(null)).toBeNull();
  });
});

describe('checkEntry', () => {
  it('applies the original defaults and keeps unknown keys after runr’s', () => {
    const c = checkEntry({ run_id: 'x', framework: 'chatdev', experiment_name: 'e1' });
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    expect(c.entry).toMatchObject({ path: 'chatdev/x', verification_status: 'pending', total_tokens_in: 0, total_tokens_out: 0, status: null, params: {}, experiment_name: 'e1' });
    expect(Object.keys(c.entry).at(-1)).toBe('experiment_name');
  });

  it.each([
    [{ framework: 'a' }, 'run_id'],
    [{ run_id: 'x' }, 'framework'],
    [{ run_id: 'x', framework: 'a', total_tokens_in: -1 }, 'total_tokens_in'],
    [{ run_id: 'x', framework: 'a', status: 3 }, 'status'],
    [{ run_id: 'x', framework: 'a', params: [] }, 'params'],
    [{ run_id: 'x', framework: 'a', tags: { a: 1 } }, 'tags.a'],
    [{ run_id: 'x', framework: 'a', start_time: {} }, 'start_time'],
  ])('rejects %j at %s', (raw, field) => {
    const c = checkEntry(raw);
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.field).toBe(field);
  });
});

describe('canonical text', () => {
  const m = buildManifest([anEntry({ run_id: 'b', framework: 'x' }), anEntry({ run_id: 'a' }), anEntry({ run_id: 'c', params: { q: 'he said "hi"\n' } })], '2026-01-01T00:00:00.000Z');

  it('writes one entry per line, sorted, with counters from the entries', () => {
    const text = serializeManifest(m);
    const lines = text.split('\n');
    expect(lines.slice(0, 6)).toEqual(['{', '  "version": "1.0",', '  "last_updated": "2026-01-01T00:00:00.000Z",', '  "total_runs": 3,', '  "frameworks": {"runr":2,"x":1},', '  "runs": [']);
    expect(lines[6]).toMatch(/^ {4}\{"run_id":"a",.*\},$/);
    expect(lines[8]).toMatch(/^ {4}\{"run_id":"c",.*\}$/);
    expect(lines.slice(9)).toEqual(['  ]', '}', '']);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(m)));
  });

  it('splits back into rows and reads run ids and frameworks from the line heads', () => {
    const rows = RowLines.parse(serializeManifest(m));
    expect(rows?.heads()).toEqual({ ids: ['a', 'b', 'c'], frameworks: ['runr', 'x', 'runr'] });
    expect(lineHead(`    ${entryRow(anEntry({ run_id: 'we"ird\\id' }))},`)?.run_id).toBe('we"ird\\id');
  });

  it('writes an empty manifest that is valid JSON and canonical', () => {
    const text = serializeManifest(buildManifest([], null));
    expect(JSON.parse(text)).toMatchObject({ total_runs: 0, runs: [] });
    expect(RowLines.parse(text)?.length).toBe(0);
  });

  it('is not fooled by other layouts', () => {
    expect(RowLines.parse(JSON.stringify(m, null, 2))).toBeNull();
    expect(RowLines.parse(serializeManifest(m).replace('"runs": [', '"runs": [\n<<<<<<< HEAD'))).toBeNull();
    // The structural check does not parse entries (parseManifestText does, and names the bad one).
    expect(RowLines.parse(serializeManifest(m).replace('"run_id":"b"', '"run_id":"b"}'))).toBeTruthy();
    expect(RowLines.parse(serializeManifest(m).replace(/\},\n/, '}\n'))).toBeNull();
  });

  it('keeps commas right through inserts, replacements and removals at both ends', () => {
    const header = buildManifest([], null);
    for (const ops of [
      ['+0 a', '+1 c', '+1 b', '=2 c2', '-0', '+2 d', '-2', '-1', '-0'],
      ['+0 x', '-0', '+0 y', '+0 w', '=0 w2', '=1 y2'],
    ]) {
      const rows = RowLines.fromRows(header, []);
      const model: string[] = [];
      for (const op of ops) {
        const at = Number(op.slice(1, 2));
        const row = `{"run_id":"${op.slice(3)}"}`;
        if (op[0] === '+') {
          rows.put(at, row, false);
          model.splice(at, 0, row);
        } else if (op[0] === '=') {
          rows.put(at, row, true);
          model[at] = row;
        } else {
          rows.remove(at);
          model.splice(at, 1);
        }
        const text = rows.render({ ...header, total_runs: model.length });
        expect(JSON.parse(text).runs, op).toEqual(model.map((r) => JSON.parse(r)));
        expect(RowLines.parse(text), op).not.toBeNull();
      }
    }
  });
});

describe('parsing', () => {
  it('reads the original tool’s indent-2 manifest (epoch times, extra keys, zero counters)', () => {
    const r = parseManifestText(fs.readFileSync(path.join(manifestFixtures, 'original-manifest.json'), 'utf8'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.canonical).toBe(false);
    expect(r.manifest.runs.map((e) => e.run_id)).toEqual(['aaa000', 'abc123']);
    expect(r.manifest.runs[0]).toMatchObject({ start_time: '2025-10-15T08:50:59.000Z', experiment_name: 'baseline' });
    expect(r.manifest.frameworks).toEqual({ baes: 1, chatdev: 1 });
  });

  it('names the bad entry of a corrupt manifest', () => {
    const text = serializeManifest(buildManifest([anEntry({ run_id: 'a' }), anEntry({ run_id: 'b' })], null)).replace('{"run_id":"b"', '{"run_id":"b" oops');
    expect(parseManifestText(text)).toEqual({ ok: false, problem: 'runs[1]: not valid JSON' });
    expect(parseManifestText('{"runs": 3}')).toMatchObject({ ok: false, problem: expect.stringMatching(/^runs: /) });
    expect(parseManifestText('<<<<<<< HEAD')).toMatchObject({ ok: false, problem: expect.stringMatching(/not valid JSON/) });
  });
});

describe('compatibility filters', () => {
  const runs = [
    anEntry({ run_id: 'a', framework: 'chatdev', verification_status: 'verified', total_tokens_in: 90_000, total_tokens_out: 20_000 }),
    anEntry({ run_id: 'b', framework: 'chatdev', verification_status: 'pending', total_tokens_in: 0, total_tokens_out: 0 }),
    anEntry({ run_id: 'c', framework: 'baes', verification_status: 'verified', total_tokens_in: 200_000, total_tokens_out: 0 }),
  ];
  const ids = (f: Parameters<typeof compileFilters>[0]) => runs.filter(compileFilters(f).matches).map((e) => e.run_id);

  it('ANDs framework, verification status and min tokens (in + out)', () => {
    expect(ids({ framework: 'chatdev', verificationStatus: 'verified', minTokens: 100_000 })).toEqual(['a']);
    expect(ids({ minTokens: 110_000 })).toEqual(['a', 'c']);
    expect(ids({ verificationStatus: 'verified', query: "framework = 'baes'" })).toEqual(['c']);
  });

  it('treats empty strings and 0 as no filter, like the original', () => {
    expect(ids({ framework: '', verificationStatus: '', minTokens: 0 })).toEqual(['a', 'b', 'c']);
  });
});
