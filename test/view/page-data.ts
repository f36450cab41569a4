/** Reading a written runr page back: its data element and its CSP. */
import fs from 'node:fs';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests poke into the page data freely
export function pageData<T = any>(file: string): T {
  const html = fs.readFileSync(file, 'utf8');
  const m = /<script type="application\/json" id="runr-data">([\s\S]*?)<\/script>/.exec(html);
  if (m === null) throw new Error(`${file}: no data element`);
  return JSON.parse(m[1] ?? '') as T;
}

export function csp(html: string): string {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  return (m?.[1] ?? '').replace(/&#39;/g, "'");
}
