/** Reading a written runr page back: its data element (inflated), its text with the data as JSON, and its CSP. */
import fs from 'node:fs';
import { gunzipSync } from 'node:zlib';

const element = (id: string) => new RegExp(`<script type="application/(?:json|octet-stream)" id="${id}" data-encoding="(json|gzip-base64)">([\\s\\S]*?)</script>`);
const decode = (m: RegExpExecArray) => (m[1] === 'json' ? (m[2] ?? '') : gunzipSync(Buffer.from(m[2] ?? '', 'base64')).toString('utf8'));

/** A data element's JSON text (runr-data or runr-details), as the page reads it. */
export function dataJson(html: string, id = 'runr-data'): string {
  const m = element(id).exec(html);
  if (m === null) throw new Error(`no ${id} element`);
  return decode(m);
}

/** The page's data as the page puts it together: runr-data with the details of runr-details. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests poke into the page data freely
export function pageData<T = any>(file: string): T {
  const html = fs.readFileSync(file, 'utf8');
  return { ...JSON.parse(dataJson(html)), details: JSON.parse(dataJson(html, 'runr-details')) } as T;
}

/** The page with its data elements holding their JSON text (to look for what must not be in the page). */
export function pageText(file: string): string {
  let html = fs.readFileSync(file, 'utf8');
  for (const id of ['runr-data', 'runr-details']) {
    const m = element(id).exec(html);
    if (m !== null) html = html.replace(m[0], () => decode(m));
  }
  return html;
}

export function csp(html: string): string {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  return (m?.[1] ?? '').replace(/&#39;/g, "'");
}
