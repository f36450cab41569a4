/**
 * One runr page as an HTML string: the data, the browser bundle (dist/view-page/page.js and
 * page.css, built by scripts/bundle-view.mjs from src/view-page/) and the CSP with their hashes.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { InternalError } from '../core/errors.js';
import type { PageAssets } from '../core/view/document.js';
import { contentSecurityPolicy, documentParts, renderDocument } from '../core/view/document.js';
import type { ViewData } from '../core/view/model.js';

let cached: PageAssets | null = null;

/**
 * The built page assets, in the package of the runr that runs: `process.argv[1]` is its launcher
 * (bin/runr.js, or npm's shim, hence realpath), and the assets are in ../dist/view-page/.
 */
export function loadPageAssets(dir?: string): PageAssets {
  if (cached !== null && dir === undefined) return cached;
  const launcher = process.argv[1];
  if (dir === undefined && launcher === undefined) throw new InternalError('runr view: cannot tell where runr is installed (no process.argv[1])');
  const base = dir ?? path.join(path.dirname(fs.realpathSync(launcher ?? '')), '..', 'dist', 'view-page');
  try {
    const assets = { js: fs.readFileSync(path.join(base, 'page.js'), 'utf8'), css: fs.readFileSync(path.join(base, 'page.css'), 'utf8') };
    if (dir === undefined) cached = assets;
    return assets;
  } catch (err) {
    throw new InternalError(`the page assets are missing in ${base} (run \`npm run build\`): ${(err as Error).message}`);
  }
}

const sha256b64 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');

/** The data's JSON, gzip-compressed (level 9: the page is written once and read often), as base64. */
export const gzipBase64 = (json: string): string => gzipSync(Buffer.from(json, 'utf8'), { level: 9 }).toString('base64');

export function renderPage(data: ViewData, assets: PageAssets = loadPageAssets()): string {
  const parts = documentParts(data, assets, gzipBase64);
  const csp = contentSecurityPolicy({ script: sha256b64(parts.script), style: sha256b64(parts.style) }, data.live !== null);
  return renderDocument(data, parts, csp);
}
