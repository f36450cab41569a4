/**
 * The HTML document of a runr page (pure): the styles, the data and the code inline, and a
 * Content-Security-Policy that allows exactly those (by hash) and no load from anywhere — no
 * network, no other file. Live mode (`runr view --serve`) additionally allows the page to open
 * its event stream on the server it came from.
 */
import { embedJson, embedScript, embedStyle, escapeHtml } from './embed.js';
import type { ViewData } from './model.js';

export interface PageAssets {
  /** The browser bundle (src/view-page, built by scripts/bundle.mjs). */
  js: string;
  css: string;
}

/** How the data element holds the data: JSON text, or that JSON gzip-compressed and base64-encoded. */
export type DataEncoding = 'json' | 'gzip-base64';

export interface DocumentParts {
  script: string;
  style: string;
  /** The data without the runs' details (what the first screen needs). */
  data: string;
  /** The details of the runs by id, read by the page after its first paint. */
  details: string;
  encoding: DataEncoding;
}

/**
 * The inline parts, exactly as they appear in the document (hash script and style for the CSP).
 * The data goes in two elements: everything but the runs' details (the table, the studies), and
 * the details — most of the bytes — which the page inflates and parses after drawing the table.
 * `gzipBase64` (given by the caller: core does no compression) turns JSON into base64 of its gzip;
 * the page inflates it with the browser's DecompressionStream. Without it the data is embedded as
 * escaped JSON. Base64 has no `<`, so either way no recorded text can end the element.
 */
export function documentParts(data: ViewData, assets: PageAssets, gzipBase64?: (json: string) => string): DocumentParts {
  const parts = { script: embedScript(assets.js), style: embedStyle(assets.css) };
  const head: ViewData = { ...data, details: {} };
  if (gzipBase64 === undefined) return { ...parts, data: embedJson(head), details: embedJson(data.details), encoding: 'json' };
  return { ...parts, data: gzipBase64(JSON.stringify(head)), details: gzipBase64(JSON.stringify(data.details)), encoding: 'gzip-base64' };
}

/** `hashes`: base64 sha256 of `parts.script` and `parts.style` (computed by the caller: core does no crypto). */
export function contentSecurityPolicy(hashes: { script: string; style: string }, live: boolean): string {
  return [
    "default-src 'none'",
    `script-src 'sha256-${hashes.script}'`,
    `style-src 'sha256-${hashes.style}'`,
    'img-src data:',
    `connect-src ${live ? "'self'" : "'none'"}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

function dataElement(id: string, text: string, encoding: DataEncoding): string {
  return `<script type="application/${encoding === 'json' ? 'json' : 'octet-stream'}" id="${id}" data-encoding="${encoding}">${text}</script>`;
}

/** The page's header as the script draws it (app.ts), from the data alone. */
export function staticHeader(data: ViewData): string {
  const when = data.generated_at.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  const where = data.scope.where !== null ? ` where ${data.scope.where}` : '';
  return `<header class="top"><h1><a href="#/">${escapeHtml(data.title)}</a></h1><span class="meta">${escapeHtml(`${data.runs.length} of ${data.total_runs} runs${where} · generated ${when}`)}</span></header>`;
}

export function renderDocument(data: ViewData, parts: DocumentParts, csp: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    '<meta name="generator" content="runr view">',
    `<title>${escapeHtml(data.title)}</title>`,
    `<style>${parts.style}</style>`,
    '</head>',
    '<body>',
    `<noscript>This page needs JavaScript to show the runs; the data is in the runr-data element of its source${parts.encoding === 'gzip-base64' ? ' (JSON, gzip-compressed, base64-encoded)' : ''}.</noscript>`,
    // The header is in the HTML itself, so it is painted before the data is read (first paint
    // does not wait for the runs); the script replaces it with the live one.
    `<div id="app">${staticHeader(data)}</div>`,
    dataElement('runr-data', parts.data, parts.encoding),
    dataElement('runr-details', parts.details, parts.encoding),
    `<script>${parts.script}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
