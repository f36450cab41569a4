// Bundles the CLI (src/cli/main.ts) into one CommonJS file, dist/cli.cjs, and a V8 code cache for
// it, dist/cli.cjs.cache. Why: Node 20 has no module compile cache, and loading ~150 small ESM
// files (zod alone is ~95) costs 2-3x a bare `node` start; one file whose compiled code comes from
// a cache keeps `runr run list` near 1.5x. bin/runr.js loads the bundle with the cache (a cache V8
// rejects — other Node version, changed bundle — only costs speed). Command modules stay lazy:
// esbuild turns `await import()` into deferred initialisers inside the bundle.
// The library entry (dist/index.js) and helper entry points stay the plain tsc output.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';

/**
 * commander requires node:child_process at load time only to spawn executable subcommands, which
 * runr never uses; loading that builtin costs ~6 ms of every start. Defer it to first use.
 */
function lazyChildProcessInCommander() {
  return {
    name: 'lazy-child-process-in-commander',
    setup(b) {
      b.onLoad({ filter: /commander[\\/]lib[\\/]command\.js$/ }, async (args) => {
        const src = await fs.promises.readFile(args.path, 'utf8');
        const eager = "const childProcess = require('node:child_process');";
        if (!src.includes(eager)) return undefined; // a newer commander: leave it alone
        const lazy = "const childProcess = { get spawn() { return require('node:child_process').spawn; } };";
        return { contents: src.replace(eager, lazy), loader: 'js' };
      });
    },
  };
}

fs.rmSync('dist/bundle', { recursive: true, force: true });
fs.rmSync('dist/cli.cjs.cache', { force: true });
const result = await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/cli.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  metafile: true,
  // Whitespace and syntax only: smaller to compile, and stack traces of bugs keep their names.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  // The queue's drivers load from node_modules at run time (only `submit`/`worker`/`queue` need them).
  external: ['bullmq', 'pg', 'ioredis'],
  plugins: [lazyChildProcessInCommander()],
});
if (process.env.RUNR_BUNDLE_REPORT) fs.writeFileSync('dist/bundle-meta.json', JSON.stringify(result.metafile));

// Warm the code cache with the common start-up path (argument parsing, the store, schemas).
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'runr-cache-'));
try {
  const r = spawnSync(process.execPath, ['scripts/warm-code-cache.cjs', 'dist/cli.cjs', 'run', 'list', '-C', tmp], { encoding: 'utf8' });
  if (r.status !== 0) process.stderr.write(`warning: code cache not written (${r.stderr.trim().split('\n')[0] ?? r.status})\n`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
