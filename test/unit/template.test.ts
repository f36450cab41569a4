import { describe, expect, it } from 'vitest';
import { normalizeRelPath, substitute, templateIsUnsafe } from '../../src/core/template.js';

describe('templates', () => {
  it('replaces every occurrence of each placeholder and reports unknown ones', () => {
    expect(substitute('{slug}/{slug}-{artifact_path}', { slug: 's', artifact_path: 'a/b' })).toEqual({ value: 's/s-a/b', unknown: [] });
    expect(substitute('{nope}/x', {}).unknown).toEqual(['nope']);
  });
  it('normalizes relative paths and refuses escapes', () => {
    expect(normalizeRelPath('a/./b//c')).toEqual({ ok: true, path: 'a/b/c' });
    expect(normalizeRelPath('a/../b')).toEqual({ ok: true, path: 'b' });
    expect(normalizeRelPath('../x')).toEqual({ ok: false, problem: 'parent_escape' });
    expect(normalizeRelPath('a/../../x')).toEqual({ ok: false, problem: 'parent_escape' });
    expect(normalizeRelPath('/etc/passwd')).toEqual({ ok: false, problem: 'absolute' });
    expect(normalizeRelPath('C:\\x')).toEqual({ ok: false, problem: 'absolute' });
    expect(normalizeRelPath('')).toEqual({ ok: false, problem: 'empty' });
  });
  it('flags statically unsafe templates', () => {
    expect(templateIsUnsafe('{artifact_path}/x.md')).toBeNull();
    expect(templateIsUnsafe('{artifact_path}/../../x')).toBe('parent_escape');
    expect(templateIsUnsafe('/abs/{slug}')).toBe('absolute');
  });
});
