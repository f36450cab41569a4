import { describe, expect, it } from 'vitest';
import { makeRedactor, redactDeep } from '../../src/core/redact.js';

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
  it('redacts every string in a JSON value', () => {
    expect(redactDeep({ a: ['supersecretvalue123'], b: { c: 'x supersecretvalue123' }, n: 1 }, redact)).toEqual({ a: ['[REDACTED:MY_API_KEY]'], b: { c: 'x [REDACTED:MY_API_KEY]' }, n: 1 });
  });
});
