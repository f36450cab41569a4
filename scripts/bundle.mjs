// Bundles the CLI (src/cli/main.ts) into dist/bundle/ with one chunk per lazily imported command.
// Why: Node 20 has no module compile cache, and loading ~150 small ESM files (zod alone is ~95)
// costs 3x a bare `node` start; one bundle with split chunks keeps `runr run list` near 1.2x.
// The library entry (dist/index.js) and helper entry points stay the plain tsc output.
import fs from 'node:fs';
import { build } from 'esbuild';

fs.rmSync('dist/bundle', { recursive: true, force: true });

const result = await build({
  metafile: true,
  entryPoints: ['src/cli/main.ts'],
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // Whitespace and syntax only: smaller to compile, and stack traces of bugs keep their names.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  // CommonJS dependencies (commander, ajv) call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __runrCreateRequire } from 'node:module'; const require = __runrCreateRequire(import.meta.url);" },
});

if (process.env.RUNR_BUNDLE_REPORT) fs.writeFileSync('dist/bundle-meta.json', JSON.stringify(result.metafile));
