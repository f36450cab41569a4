/**
 * Up-to-date verdicts (src/studies/state-memo.ts): a remembered verdict is used only while the
 * run's journal has the very stat taken before its section was read, the journal had settled by
 * then, and the digest of stage keys and output hashes is the same; any append, a rewrite or
 * another digest makes `batch run` load the record and decide again. Saved in the batch's cache
 * file and read back through its schema; a foreign verdict is ignored.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HashCacheFile } from '../../src/studies/hash-cache.js';
import { Hasher, RACY_MS } from '../../src/studies/hash-paths.js';
import { StateMemo, statJournal } from '../../src/studies/state-memo.js';

const dirs: string[] = [];
function tmp(): string {
  const d = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'runr-state-memo-')));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A clock far enough after every file time that every journal counts as settled. */
const later = () => Date.now() + 10 * RACY_MS;
const D1 = 'a'.repeat(64);
const D2 = 'b'.repeat(64);

function journal(): string {
  const f = path.join(tmp(), 'events.jsonl');
  fs.writeFileSync(f, '{"seq":1}\n');
  return f;
}

describe('StateMemo', () => {
  it('gives a verdict back only for the same run, journal stat and digest', () => {
    const j = journal();
    const m = new StateMemo();
    m.record(j, 'run_a', statJournal(j, later), D1, { s1: 'PASS', s2: 'WARN' });
    expect(m.dirty).toBe(true);
    expect(m.lookup(j, 'run_a', statJournal(j), D1)).toEqual({ s1: 'PASS', s2: 'WARN' });
    expect(m.lookup(j, 'run_b', statJournal(j), D1)).toBeNull(); // the pointer names another run
    expect(m.lookup(j, 'run_a', statJournal(j), D2)).toBeNull(); // a key or an output hash changed
    expect(m.lookup(j, 'run_a', null, D1)).toBeNull(); // no journal
    expect(m.hits).toBe(1);
  });

  it('is not used once the journal changed: an append, or a rewrite that restores size and mtime', () => {
    const j = journal();
    const m = new StateMemo();
    m.record(j, 'run_a', statJournal(j, later), D1, { s1: 'PASS' });
    fs.appendFileSync(j, '{"seq":2}\n');
    expect(m.lookup(j, 'run_a', statJournal(j), D1)).toBeNull();

    const k = journal();
    m.record(k, 'run_a', statJournal(k, later), D1, { s1: 'PASS' });
    const st = fs.statSync(k);
    fs.writeFileSync(k, '{"seq":9}\n'); // same size
    fs.utimesSync(k, st.atime, st.mtime); // same mtime: ctime still moves
    expect(m.lookup(k, 'run_a', statJournal(k), D1)).toBeNull();
  });

  it('does not use a verdict whose journal had changed just before it was read (the racy-file rule), until it is recorded again later', () => {
    const j = journal();
    const m = new StateMemo();
    m.record(j, 'run_a', statJournal(j), D1, { s1: 'PASS' }); // the real clock: the journal changed just now
    expect(m.lookup(j, 'run_a', statJournal(j), D1)).toBeNull();
    m.record(j, 'run_a', statJournal(j, later), D1, { s1: 'PASS' });
    expect(m.lookup(j, 'run_a', statJournal(j), D1)).toEqual({ s1: 'PASS' });
  });

  it('is saved in the batch cache and read back through its schema; a foreign verdict is ignored', () => {
    const d = tmp();
    const env = { RUNR_CACHE_DIR: tmp() };
    const j = journal();
    const m = new StateMemo();
    m.record(j, 'run_a', statJournal(j, later), D1, { s1: 'PASS', s2: null });
    HashCacheFile.for(d, env).save(new Hasher(), m, Date.now());
    const back = new StateMemo();
    HashCacheFile.for(d, env).load(new Hasher(), back);
    expect(back.lookup(j, 'run_a', statJournal(j), D1)).toEqual({ s1: 'PASS', s2: null });
    expect(back.dirty).toBe(false);

    // A verdict with a status no skipped stage can have makes the whole file unusable.
    const file = path.join(env.RUNR_CACHE_DIR, 'studies', fs.readdirSync(path.join(env.RUNR_CACHE_DIR, 'studies'))[0] ?? '');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"s1":"PASS"', '"s1":"FAIL"'));
    const foreign = new StateMemo();
    HashCacheFile.for(d, env).load(new Hasher(), foreign);
    expect(foreign.lookup(j, 'run_a', statJournal(j), D1)).toBeNull();
  });
});
