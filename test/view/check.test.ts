/** The page's data checks (src/core/view/check.ts) and the two data encodings of the document (pure). */
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isViewData, viewDataProblems } from '../../src/core/view/check.js';
import { documentParts, renderDocument } from '../../src/core/view/document.js';
import type { ViewData } from '../../src/core/view/model.js';
import { gzipBase64 } from '../../src/view/page.js';
import { dataJson } from './page-data.js';

const entry = { run_id: 'r1', framework: 'runr', path: 'r1', start_time: '2026-01-01T00:00:00Z', end_time: null, verification_status: 'pending', total_tokens_in: 0, total_tokens_out: 0, kind: 'task', workflow: null, status: 'RUNNING', stop_reason: null, params: { note: '</script><!--' }, metrics: {}, tags: {} };
const data: ViewData = {
  version: 1,
  title: 't',
  generated_at: '2026-01-01T00:00:00Z',
  scope: { kind: 'store', where: null, run_id: null },
  total_runs: 1,
  runs: [entry],
  details: {},
  problems: [],
  live: null,
  batches: [],
};

describe('the page data check', () => {
  it('accepts the page shape and names what is wrong otherwise', () => {
    expect(viewDataProblems(data)).toEqual([]);
    expect(isViewData(data)).toBe(true);
    expect(viewDataProblems({ ...data, version: 2 })).toEqual(['version 2: this page reads version 1']);
    expect(viewDataProblems({ ...data, runs: [{ ...entry, status: 3 }] })).toEqual(['runs[0].status: not a string or null']);
    expect(viewDataProblems({ ...data, details: { r1: { kind: 'other', run_id: 'r1', status: 'x' } } })).toEqual(['details[r1].kind: not one of workflow, task, ops']);
    expect(viewDataProblems({ ...data, batches: [{ study: 's' }] })[0]).toBe('batches[0].batch_id: not a string');
    expect(isViewData(null)).toBe(false);
  });

  it('the document holds the data as escaped JSON, or gzip-compressed base64 that reads back exactly', () => {
    const assets = { js: 'void 0', css: 'body{}' };
    const plain = renderDocument(data, documentParts(data, assets), 'x');
    expect(plain).not.toContain('</script><!--');
    expect(JSON.parse(dataJson(plain))).toEqual(data);
    const gz = renderDocument(data, documentParts(data, assets, gzipBase64), 'x');
    expect(gz).toContain('data-encoding="gzip-base64"');
    const b64 = /data-encoding="gzip-base64">([^<]*)</.exec(gz)?.[1] ?? '';
    expect(JSON.parse(gunzipSync(Buffer.from(b64, 'base64')).toString('utf8'))).toEqual(data);
  });
});
