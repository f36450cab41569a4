import { describe, expect, it } from 'vitest';
import { compactTimestamp, isRunId, makeRunId, parseRunIdTime, slugify, validateRunIdArg } from '../../src/core/ids.js';

describe('run ids', () => {
  it('use the real format with milliseconds', () => {
    const id = makeRunId('the-word-robot', new Date('2026-01-19T22:23:03.959Z'), () => 'uc2s1f');
    expect(id).toBe('run_20260119T222303959Z_the-word-robot_uc2s1f');
    expect(isRunId(id)).toBe(true);
    expect(parseRunIdTime(id)?.toISOString()).toBe('2026-01-19T22:23:03.959Z');
    expect(compactTimestamp(new Date('2026-01-01T00:00:00.000Z'))).toBe('20260101T000000000Z');
  });
  it('accept the ids of the original records', () => {
    expect(isRunId('run_20260121T024259697Z_test-partial_qhl9a6')).toBe(true);
  });
  it('validate command-line ids before they touch a path', () => {
    for (const bad of ['', '../x', '/etc', 'a/b', '..', 'run_..', 'a\\b', 'x y', 'run_\u0000']) {
      expect(() => validateRunIdArg(bad)).toThrow(/--run/);
    }
    expect(validateRunIdArg('latest')).toBe('latest');
    expect(validateRunIdArg('run_2026')).toBe('run_2026');
  });
  it('slugify produces valid slugs', () => {
    expect(slugify('The Word: Robot!')).toBe('the-word-robot');
    expect(slugify('!!!')).toBe('run');
  });
});
