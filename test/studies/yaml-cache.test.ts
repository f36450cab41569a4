/**
 * Parsed YAML cached by content (src/studies/yaml-cache.ts): the second parse of the same text is a
 * cache hit with the same value; other text never gets it; values JSON would change (.inf, .nan, -0)
 * and errors are not cached; RUNR_CACHE_DIR=off writes nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseYamlStrict } from '../../src/store/read-json.js';
import { cachedYaml } from '../../src/studies/yaml-cache.js';

const dirs: string[] = [];
function tmp(): string {
  const d = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'runr-yaml-cache-')));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function counting() {
  const calls: string[] = [];
  return { calls, parse: (t: string) => (calls.push(t), parseYamlStrict(t, 'x.yaml')) };
}

describe('cachedYaml', () => {
  it('parses a text once, then serves the same value from the cache; other text is parsed', async () => {
    const env = { RUNR_CACHE_DIR: tmp() };
    const p = counting();
    const text = 'study: s\nvariants:\n  - {id: vr-a-1-s42, seed: 42, overrides: {a: 1}}\n';
    const first = await cachedYaml(text, p.parse, env);
    expect(await cachedYaml(text, p.parse, env)).toEqual(first);
    expect(first).toEqual({ study: 's', variants: [{ id: 'vr-a-1-s42', seed: 42, overrides: { a: 1 } }] });
    expect(p.calls).toHaveLength(1);
    expect(await cachedYaml(`${text}# changed\n`, p.parse, env)).toEqual(first);
    expect(p.calls).toHaveLength(2);
  });

  it('does not cache what JSON would change, nor errors; a torn entry is parsed again', async () => {
    const cache = tmp();
    const env = { RUNR_CACHE_DIR: cache };
    const p = counting();
    expect(await cachedYaml('x: .inf\n', p.parse, env)).toEqual({ x: Infinity });
    expect(await cachedYaml('x: .inf\n', p.parse, env)).toEqual({ x: Infinity });
    expect(p.calls).toHaveLength(2);
    await expect(cachedYaml('a: 1\na: 2\n', p.parse, env)).rejects.toThrow(/x\.yaml/);
    await cachedYaml('ok: true\n', p.parse, env);
    const files = fs.readdirSync(path.join(cache, 'yaml'));
    expect(files).toHaveLength(1);
    fs.writeFileSync(path.join(cache, 'yaml', files[0] ?? ''), '{"key": ');
    expect(await cachedYaml('ok: true\n', p.parse, env)).toEqual({ ok: true });
    expect(p.calls.filter((c) => c === 'ok: true\n')).toHaveLength(2);
  });

  it('writes nothing with RUNR_CACHE_DIR=off', async () => {
    const home = tmp();
    const p = counting();
    await cachedYaml('a: 1\n', p.parse, { RUNR_CACHE_DIR: 'off', HOME: home, XDG_CACHE_HOME: home });
    await cachedYaml('a: 1\n', p.parse, { RUNR_CACHE_DIR: 'off', HOME: home, XDG_CACHE_HOME: home });
    expect(p.calls).toHaveLength(2);
    expect(fs.readdirSync(home)).toEqual([]);
  });
});
