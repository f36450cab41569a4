import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';
import { tmpDir } from './helpers.js';

/** The first fenced block of `lang` at or after offset `from`. */
function block(doc: string, lang: string, from: number): { text: string; end: number } {
  const open = doc.indexOf('```' + lang + '\n', from);
  if (open < 0) throw new Error(`no ${lang} block after offset ${from}`);
  const start = open + lang.length + 4;
  const close = doc.indexOf('\n```', start);
  return { text: doc.slice(start, close), end: close + 4 };
}

describe('docs/library.md', () => {
  it('has an example that runs against the built package and prints the documented output', () => {
    const doc = fs.readFileSync(path.join(repoRoot, 'docs', 'library.md'), 'utf8');
    const at = doc.indexOf('## Example');
    expect(at).toBeGreaterThan(0);
    const code = block(doc, 'js', at);
    const expected = block(doc, 'text', code.end).text;
    // Import the package by its name, as a user would: node_modules/runr → this repository.
    const dir = tmpDir('runr-libdoc-');
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.symlinkSync(repoRoot, path.join(dir, 'node_modules', 'runr'), 'dir');
    fs.writeFileSync(path.join(dir, 'example.mjs'), code.text);
    const r = spawnSync(process.execPath, ['example.mjs'], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trimEnd()).toBe(expected.trimEnd());
  });
});
