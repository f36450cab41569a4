/**
 * A rebuild's fast path reads a journal's last line from its end (src/manifest/adapters/
 * journal-seq.ts); it must give readTail's answer (which reads the whole file) or say "ask readTail".
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { journalLastSeq } from '../../src/manifest/adapters/journal-seq.js';
import { readTail } from '../../src/store/record-files.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runr-journal-seq-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const line = (seq: number, pad = 0): string => JSON.stringify({ seq, type: 'x', pad: 'é'.repeat(pad) });

const cases: Record<string, string> = {
  empty: '',
  'one line': `${line(1)}\n`,
  'three lines': `${line(1)}\n${line(2)}\n${line(3)}\n`,
  'torn tail': `${line(1)}\n${line(2)}\n{"seq":3,"ty`,
  'no newline': line(4),
  'only a newline': '\n',
  'newline first': `\n${line(5)}\n`,
  'no seq': `${line(1)}\n{"type":"x"}\n`,
  'not JSON': `${line(1)}\nnot json\n`,
  'a last line longer than the window': `${line(1)}\n${line(9, 20000)}\n`,
  'long lines before a short one': `${line(1, 20000)}\n${line(2, 20000)}\n${line(3)}\n`,
  'a torn line longer than the window': `${line(1)}\n${line(2)}\n${'x'.repeat(40000)}`,
  'window starts inside a multi-byte character': `${line(1, 9000)}\n${line(2)}\n`,
  'invalid UTF-8 in the last line': `${line(1)}\n{"seq":7,"b":"\xff"}\n`,
};

describe('journalLastSeq', () => {
  for (const [name, text] of Object.entries(cases)) {
    it(`${name}: readTail's seq, or undefined`, () => {
      const file = path.join(dir, `${name.replace(/\W+/g, '-')}.jsonl`);
      fs.writeFileSync(file, name.startsWith('invalid') ? Buffer.from(text, 'latin1') : text);
      const fast = journalLastSeq(file);
      const full = readTail(file);
      if (fast === undefined) {
        // Only where the window cannot answer.
        expect(fs.statSync(file).size).toBeGreaterThan(16 * 1024);
        return;
      }
      expect(fast === null ? null : fast.lastSeq).toEqual(full === null ? null : full.lastSeq);
    });
  }

  it('no journal: null; a directory: undefined (the slow path reports it)', () => {
    expect(journalLastSeq(path.join(dir, 'missing.jsonl'))).toBeNull();
    fs.mkdirSync(path.join(dir, 'd.jsonl'));
    expect(journalLastSeq(path.join(dir, 'd.jsonl'))).toBeUndefined();
  });

  it('answers from the window where it can (a short last line after long ones)', () => {
    const file = path.join(dir, 'long-then-short.jsonl');
    fs.writeFileSync(file, `${line(1, 20000)}\n${line(2, 20000)}\n${line(3)}\n`);
    expect(journalLastSeq(file)).toEqual({ lastSeq: 3 });
  });
});
