/**
 * The worker reads the run process's own files (the started marker, the result) through the strict
 * reader: what is not a regular file of strict UTF-8 JSON in runr's shape is no answer (`null`),
 * never a blocked read or a value taken on trust.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readExecResult, readStarted, startedFile } from '../../src/queue/child.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const tmp = (): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'runr-child-files-'));
  dirs.push(d);
  return d;
};
const result = { run_id: 'run_x', run_dir: '.runr/runs/run_x', reason: null, detail: null, error: null };

describe('the run process files the worker reads', () => {
  it('reads what the run process writes', () => {
    const f = path.join(tmp(), 'r.json');
    fs.writeFileSync(startedFile(f), JSON.stringify({ run_dir: '/w/.runr/runs/run_x' }));
    fs.writeFileSync(f, JSON.stringify(result));
    expect(readStarted(f)).toBe('/w/.runr/runs/run_x');
    expect(readExecResult(f)).toEqual(result);
  });

  it('is no answer for a missing, cut-short, mis-shaped or non-UTF-8 file', () => {
    const f = path.join(tmp(), 'r.json');
    expect(readStarted(f)).toBeNull();
    expect(readExecResult(f)).toBeNull();
    fs.writeFileSync(startedFile(f), '{"run_dir": "/w/.ru');
    expect(readStarted(f)).toBeNull();
    fs.writeFileSync(startedFile(f), JSON.stringify({ run_dir: '/w', extra: 1 }));
    expect(readStarted(f)).toBeNull();
    fs.writeFileSync(f, Buffer.concat([Buffer.from('{"run_id":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]));
    expect(readExecResult(f)).toBeNull();
    fs.writeFileSync(f, JSON.stringify({ ...result, run_dir: 'a\u0000b' }).replace('\\u0000', '\u0000'));
    expect(readExecResult(f)).toBeNull();
  });

  it('does not block on a FIFO planted where the marker goes', () => {
    const f = path.join(tmp(), 'r.json');
    execFileSync('mkfifo', [startedFile(f)]);
    expect(readStarted(f)).toBeNull();
  });
});
