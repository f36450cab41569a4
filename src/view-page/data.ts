/**
 * Reading the page's data element: JSON, or JSON gzip-compressed and base64-encoded (what runr
 * writes, to keep 1,000 runs under 2 MB), inflated with the browser's DecompressionStream — no
 * network involved, so the CSP's `connect-src 'none'` holds. The result is checked
 * (src/core/view/check.ts) before the page uses it.
 */
import { viewDataProblems, isViewData } from '../core/view/check.js';
import type { ViewData } from '../core/view/model.js';

async function inflate(base64: string): Promise<string> {
  const bin = atob(base64.trim());
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).text();
}

export async function readData(): Promise<ViewData> {
  const el = document.getElementById('runr-data');
  if (el === null || el.textContent === null) throw new Error('runr page: no data element');
  const encoding = el.dataset.encoding ?? 'json';
  if (encoding !== 'json' && encoding !== 'gzip-base64') throw new Error(`runr page: unknown data encoding ${encoding}`);
  const text = encoding === 'json' ? el.textContent : await inflate(el.textContent);
  const value: unknown = JSON.parse(text);
  if (!isViewData(value)) throw new Error(`runr page: the data does not have the page's shape: ${viewDataProblems(value).join('; ')}`);
  return value;
}
