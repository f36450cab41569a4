/**
 * What `npm pack` ships (issue 16, packaging): one copy of the CLI (the bundle the launcher runs),
 * no source maps, no code cache or other file that fits only the machine that built it.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';

describe('npm pack', () => {
  it('ships the launcher, one CLI bundle and the library, nothing machine-specific', () => {
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repoRoot, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const [pack] = JSON.parse(r.stdout) as Array<{ files: Array<{ path: string }> }>;
    const files = pack!.files.map((f) => f.path);
    expect(files).toContain('bin/runr.js');
    // bin/runr.js is CommonJS (a faster entry point than an ES module): bin/package.json says so.
    expect(files).toContain('bin/package.json');
    expect(files.filter((f) => /(^|\/)cli\.(c?js|mjs)$/.test(f))).toEqual(['dist/cli.cjs']);
    expect(files).toContain('dist/index.js');
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => /\.cache$|\.node$|(^|\/)node_modules\//.test(f))).toEqual([]);
    // The CLI's sources are in the bundle only: no second copy of src/cli under dist/.
    expect(files.filter((f) => f.startsWith('dist/cli/'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
  });
});
