// Bundles the browser code of runr pages (src/view-page/main.ts, with runr's pure query module
// src/core/query and uPlot) into dist/view-page/page.js and page.css. `runr view` inlines both
// into every page it writes, so the page loads nothing from anywhere (docs/view.md).
import fs from 'node:fs';
import { build } from 'esbuild';

fs.rmSync('dist/view-page', { recursive: true, force: true });
const result = await build({
  entryPoints: ['src/view-page/main.ts'],
  outfile: 'dist/view-page/page.js',
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['chrome110', 'firefox110', 'safari16'],
  minify: true,
  legalComments: 'eof',
  metafile: true,
  logLevel: 'warning',
});
if (process.env.RUNR_BUNDLE_REPORT) fs.writeFileSync('dist/view-page/meta.json', JSON.stringify(result.metafile));
const js = fs.statSync('dist/view-page/page.js').size;
const css = fs.statSync('dist/view-page/page.css').size;
if (js > 200_000 || css > 30_000) throw new Error(`view page bundle grew: page.js ${js} B, page.css ${css} B (budget 200 KB / 30 KB)`);
