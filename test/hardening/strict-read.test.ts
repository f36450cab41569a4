/**
 * The strict reader (src/store/strict-read.ts), the one module runr's file reads go through:
 * file type checked before opening (a FIFO is never opened blocking), a size cap, strict UTF-8,
 * NUL refused with its byte offset, JSON nesting limited. Library level; the CLI is covered by
 * input-crashes.test.ts and the generated corpus (test/robustness/bad-input-corpus.test.ts).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { escapeControl } from '../../src/core/one-line.js';
import { readJournal } from '../../src/store/journal.js';
import { decodeStrict, firstInvalidUtf8, jsonTooDeep, MAX_READ_BYTES, parseStrictJson, pathPresent, readStrictText, readStrictTextOrNull } from '../../src/store/strict-read.js';
import { parseYamlStrict } from '../../src/store/read-json.js';
import { tempDir } from './helpers.js';

const dir = tempDir('runr-strict-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const at = (name: string) => path.join(dir, name);

function problemOf(fn: () => unknown): { field: string; problem: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return { field: err.field, problem: err.problem };
    throw err;
  }
  throw new Error('did not throw');
}

describe('file type is checked before opening', () => {
  it('a FIFO is refused without blocking (no writer ever opens it)', () => {
    execFileSync('mkfifo', [at('fifo')]);
    expect(problemOf(() => readStrictText(at('fifo'), 'fifo'))).toEqual({ field: '(file)', problem: expect.stringMatching(/FIFO/) });
  });
  it('a directory, a symlink loop, a dangling symlink', () => {
    fs.mkdirSync(at('adir'));
    fs.symlinkSync('loop-b', at('loop-a'));
    fs.symlinkSync('loop-a', at('loop-b'));
    fs.symlinkSync('nowhere', at('dangling'));
    expect(problemOf(() => readStrictText(at('adir'), 'adir')).problem).toMatch(/is a directory/);
    expect(problemOf(() => readStrictText(at('loop-a'), 'loop-a')).problem).toMatch(/symlink loop/);
    expect(pathPresent(at('loop-a'))).toBe(true);
    expect(pathPresent(at('dangling'))).toBe(true);
    expect(readStrictTextOrNull(at('dangling'), 'dangling')).toBeNull();
    expect(() => readStrictText(at('dangling'), 'dangling')).toThrow(/dangling: file not found/);
  });
  it('a character device', () => {
    expect(problemOf(() => readStrictText('/dev/zero', '/dev/zero')).problem).toMatch(/device/);
  });
  it('a NUL in the path names its offset instead of ERR_INVALID_ARG_VALUE', () => {
    expect(problemOf(() => readStrictText(`${dir}/a\0b`, 'a\0b')).problem).toMatch(/NUL character at offset \d+/);
  });
  it(`a file larger than the cap (${MAX_READ_BYTES / 1024 / 1024} MB) is refused, a 50 MB file included`, () => {
    const fd = fs.openSync(at('big'), 'w');
    fs.ftruncateSync(fd, 50 * 1024 * 1024);
    fs.closeSync(fd);
    expect(problemOf(() => readStrictText(at('big'), 'big')).problem).toMatch(/50 MB, larger than the 32 MB/);
  });
});

describe('strict text', () => {
  const bad: Array<[string, number[], number]> = [
    ['ff fe', [0x7b, 0xff, 0xfe, 0x7d], 1],
    ['overlong c0 af', [0x61, 0x62, 0xc0, 0xaf], 2],
    ['overlong e0 80 af', [0xe0, 0x80, 0xaf], 0],
    ['surrogate ed a0 80', [0x20, 0xed, 0xa0, 0x80], 1],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['cut sequence', [0x61, 0xe2, 0x82], 1],
    ['lone continuation', [0x80], 0],
  ];
  for (const [name, bytes, offset] of bad) {
    it(`invalid UTF-8 (${name}) is refused with its byte offset`, () => {
      const buf = Uint8Array.from(bytes);
      expect(firstInvalidUtf8(buf)).toBe(offset);
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(buf)).toThrow();
      expect(problemOf(() => decodeStrict(buf, 'f')).problem).toBe(`not valid UTF-8 (byte 0x${bytes[offset]!.toString(16).padStart(2, '0')} at offset ${offset})`);
    });
  }
  it('valid UTF-8 of every length decodes', () => {
    const text = 'a é € 𝄞 ﻿x';
    expect(firstInvalidUtf8(Buffer.from(text))).toBe(-1);
    expect(decodeStrict(Buffer.from('ok €'), 'f')).toBe('ok €');
  });
  it('a NUL byte is refused with its line and offset', () => {
    expect(problemOf(() => decodeStrict(Buffer.from('a\nb\0c'), 'f'))).toEqual({ field: 'line 2', problem: 'contains a NUL byte at offset 3' });
  });
});

describe('JSON and YAML nesting', () => {
  it('JSON nested 100,000 deep is refused before parsing', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(jsonTooDeep(deep)).toBe(256);
    expect(problemOf(() => parseStrictJson(deep, 'f')).problem).toMatch(/nested deeper than 256 levels/);
    expect(jsonTooDeep('{"a":"[[[[[[[[[[[[[[[[[[[["}', 3)).toBe(-1);
  });
  it('YAML: nesting limited, warnings and errors in one message', async () => {
    await expect(parseYamlStrict('a: ' + '['.repeat(10_000) + ']'.repeat(10_000), 'y.yaml')).rejects.toThrow(/nested deeper/);
    await expect(parseYamlStrict('a: 1\na: 2\n', 'y.yaml')).rejects.toThrow(/y\.yaml: line \d+: not valid YAML/);
    await expect(parseYamlStrict('%FOO bar\n---\na: 1\n', 'y.yaml')).rejects.toThrow(/^y\.yaml: \(root\): YAML warning: /);
  });
});

describe('the journal reader', () => {
  it('invalid UTF-8 inside the journal is an error naming the line', () => {
    fs.writeFileSync(at('j1.jsonl'), Buffer.concat([Buffer.from('{"a":1}\n{"b":"'), Buffer.from([0xff]), Buffer.from('"}\n{"c":1}\n')]));
    expect(problemOf(() => readJournal(at('j1.jsonl'), 'j1'))).toEqual({ field: 'line 2', problem: 'not valid UTF-8 (byte 0xff at offset 14)' });
  });
  it('a cut multi-byte character or NULs in an unterminated last line is a torn tail', () => {
    fs.writeFileSync(at('j2.jsonl'), Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xe2, 0x82])]));
    expect(readJournal(at('j2.jsonl'), 'j2').torn).toEqual({ line: 1, bytes: 8 });
    fs.writeFileSync(at('j3.jsonl'), Buffer.alloc(16));
    expect(readJournal(at('j3.jsonl'), 'j3').torn).toEqual({ line: 1, bytes: 16 });
  });
  it('a FIFO or directory journal is refused, not opened', () => {
    execFileSync('mkfifo', [at('j4.jsonl')]);
    expect(problemOf(() => readJournal(at('j4.jsonl'), 'j4')).problem).toMatch(/FIFO/);
  });
});

describe('error messages are one line', () => {
  it('control characters are escaped', () => {
    expect(escapeControl('a\nb\r\tc\u0000\u001b[31m\u0085\u2028')).toBe('a\\nb\\r\\tc\\x00\\x1b[31m\\x85\\u2028');
  });
});
