/** Query input (issue 9): `==` is a syntax error with a caret; deep nesting is a clean error, not a stack overflow. */
import { afterAll, describe, expect, it } from 'vitest';
import { makeRepo } from '../helpers/cli.js';
import { removeRepo, runrAsync } from './helpers.js';

const dir = makeRepo();
afterAll(() => removeRepo(dir));

describe.concurrent('runr find', () => {
  it("rejects `status == 'x'` with a caret under the second '='", async () => {
    const r = await runrAsync(['find', "status == 'x'"], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/'==' is not an operator/);
    const lines = r.stderr.split('\n');
    const caret = lines.find((l) => /^\s*\^/.test(l));
    expect(caret, r.stderr).toBeDefined();
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  for (const [name, q] of [
    ['30,000 nested parentheses', `${'('.repeat(30_000)}status = 'x'${')'.repeat(30_000)}`],
    ['30,000 nots', `${'not '.repeat(30_000)}status = 'x'`],
    ['5,000 conditions', Array.from({ length: 5000 }, (_, i) => `params.a = ${i}`).join(' or ')],
  ] as const) {
    it(`${name}: a clean error (exit 2, no stack)`, async () => {
      const r = await runrAsync(['find', q], { cwd: dir });
      expect(r.status, r.stderr.slice(0, 500)).toBe(2);
      expect(r.stderr).toMatch(/nests deeper than 64|more than 1000 conditions/);
      expect(r.stderr).not.toMatch(/RangeError|internal error|\n\s+at /);
    });
  }
});
