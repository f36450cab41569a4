import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIN_TOKEN_LEN, makeRedactor, redactDeep } from '../../src/core/redact.js';
import { lineRedactor } from '../../src/proc/line-redactor.js';
import { runProcess } from '../../src/proc/run-process.js';

describe('redaction', () => {
  const redact = makeRedactor({ MY_API_KEY: 'supersecretvalue123', GITHUB_TOKEN: 'tok_abcdef', HOME: '/home/x', SHORT_KEY: 'abc' });
  it('replaces values of secret-looking env vars, not ordinary ones', () => {
    expect(redact('key=supersecretvalue123 home=/home/x')).toBe('key=[REDACTED:MY_API_KEY] home=/home/x');
    expect(redact('tok_abcdef')).toBe('[REDACTED:GITHUB_TOKEN]');
    expect(redact('abc')).toBe('abc');
  });
  it('replaces known token shapes', () => {
    expect(redact('sk-ant-abcdefghijklmnopqrstuvwxyz012345')).toBe('[REDACTED:api_key]');
    expect(redact('ghp_' + 'a'.repeat(36))).toBe('[REDACTED:github_token]');
    expect(redact('AKIAABCDEFGHIJKLMNOP')).toBe('[REDACTED:aws_key]');
    expect(redact('Authorization: Bearer abcdefghijklmnopqrstu')).toBe('Authorization: Bearer [REDACTED]');
  });
  it('the shortest token shape is redacted at exactly the length below which texts skip the token scan', () => {
    const shortest = 'xoxb-0123456789';
    expect(shortest.length).toBe(MIN_TOKEN_LEN);
    expect(redact(shortest)).toBe('[REDACTED:slack_token]');
    expect(redact(shortest.slice(0, -1))).toBe(shortest.slice(0, -1));
    // Secrets from the environment are replaced in short texts too.
    expect(redact('tok_abcdef!')).toBe('[REDACTED:GITHUB_TOKEN]!');
  });
  it('redacts every string in a JSON value', () => {
    expect(redactDeep({ a: ['supersecretvalue123'], b: { c: 'x supersecretvalue123' }, n: 1 }, redact)).toEqual({ a: ['[REDACTED:MY_API_KEY]'], b: { c: 'x [REDACTED:MY_API_KEY]' }, n: 1 });
  });
});


describe('line-by-line redaction of process output', () => {
  const redact = makeRedactor({ API_KEY: 'abcdef123456' });
  it('a secret split across two chunks is still redacted', () => {
    let out = '';
    const r = lineRedactor((s) => (out += s), redact);
    r.push('key: abcdef');
    r.push('123456 and more\nnext line abc');
    r.push('def123456');
    r.flush();
    expect(out).toBe('key: [REDACTED:API_KEY] and more\nnext line [REDACTED:API_KEY]');
  });
  it('runProcess logs a secret written in two pieces redacted', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runr-red-'));
    const logFile = path.join(dir, 'out.log');
    const o = await runProcess([process.execPath, '-e', "process.stdout.write('abcdef'); setTimeout(() => process.stdout.write('123456\\n'), 50)"], { cwd: dir, logFile, transform: redact });
    expect(o.exitCode).toBe(0);
    expect(fs.readFileSync(logFile, 'utf8')).toBe('[REDACTED:API_KEY]\n');
    expect(o.outputTail).not.toContain('abcdef');
  });
});
