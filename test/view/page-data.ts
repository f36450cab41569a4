/** Reading a written runr page back: its data element (inflated), its text with the data as JSON, and its CSP. */
import fs from 'node:fs';
import { gunzipSync } from 'node:zlib';

const DATA = /<script type="application\/(?:json|octet-stream)" id="runr-data" data-encoding="(json|gzip-base64)">([\s\S]*?)<\/script>/;

/** The data element's JSON text, as the page reads it. */
export function dataJson(html: string): string {
  const m = DATA.exec(html);
  if (m === null) throw new Error('no data element');
  return m[1] === 'json' ? (m[2] ?? '') : gunzipSync(Buffer.from(m[2] ?? '', 'base64')).toString('utf8');
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests poke into the page data freely
export function pageData<T = any>(file: string): T {
  return JSON.parse(dataJson(fs.readFileSync(file, 'utf8'))) as T;
}

/** The page with its data element holding the data's JSON text (to look for what must not be in the page). */
export function pageText(file: string): string {
  const html = fs.readFileSync(file, 'utf8');
  return html.replace(DATA, () => dataJson(html));
}

export function csp(html: string): string {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  return (m?.[1] ?? '').replace(/&#39;/g, "'");
}
