// Bundles the CLI (src/cli/main.ts) into one CommonJS file, dist/cli.cjs. Why: Node 20 has no
// module compile cache, and loading ~150 small ESM files (zod alone is ~95) costs 2-3x a bare
// `node` start; one file whose compiled code comes from a V8 code cache keeps start-up near bare
// node. bin/runr.js makes that cache on first use in the user's cache directory (a cache is only
// valid for one Node version, so none ships in the package). Command modules stay lazy: esbuild
// turns `await import()` into deferred initialisers inside the bundle.
// The library entry (dist/index.js) and helper entry points stay the plain tsc output.
import fs from 'node:fs';
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
