/**
 * Reading the page's data elements: JSON, or JSON gzip-compressed and base64-encoded (what runr
 * writes, to keep 1,000 runs under 2 MB), inflated with the browser's DecompressionStream — no
 * network involved, so the CSP's `connect-src 'none'` holds. `runr-data` holds what the first
 * screen needs; `runr-details` the runs' details (most of the bytes), read after the table is
 * drawn. Both are checked (src/core/view/check.ts) before the page uses them.
 */
import { detailsProblems, isDetails, isViewData, viewDataProblems } from '../core/view/check.js';
import type { RunDetail, ViewData } from '../core/view/model.js';

async function inflate(base64: string): Promise<string> {
  const bin = atob(base64.trim());
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).text();
}

async function readElement(id: string): Promise<unknown> {
  const el = document.getElementById(id);
  if (el === null || el.textContent === null) throw new Error(`runr page: no ${id} element`);
  const encoding = el.dataset.encoding ?? 'json';
  if (encoding !== 'json' && encoding !== 'gzip-base64') throw new Error(`runr page: unknown data encoding ${encoding}`);
  return JSON.parse(encoding === 'json' ? el.textContent : await inflate(el.textContent));
}

export async function readData(): Promise<ViewData> {
  const value = await readElement('runr-data');
  if (!isViewData(value)) throw new Error(`runr page: the data does not have the page's shape: ${viewDataProblems(value).join('; ')}`);
  return value;
}

export async function readDetails(): Promise<Record<string, RunDetail>> {
  const value = await readElement('runr-details');
  if (!isDetails(value)) throw new Error(`runr page: the details do not have the page's shape: ${detailsProblems(value).join('; ')}`);
  return value;
}
