/**
 * The page: a header, then either the Runs section (`#/`, `#/?q=<query>`) or one run's detail
 * (`#/run/<id>`). Pages made for one run (`report --html`) or one ops invocation open on it.
 */
import type { ManifestEntry } from '../core/manifest/entry.js';
import type { RunDetail } from '../core/view/model.js';
import { readData, readDetails } from './data.js';
import { clear, h } from './dom.js';
import { when } from './format.js';
import { startLive } from './live.js';
import { opsView } from './ops.js';
import type { RunsSection } from './runs.js';
import { runsSection } from './runs.js';
import { batchesList, batchView } from './studies.js';
import { taskView } from './task.js';
import { workflowView } from './workflow.js';

function detailView(d: RunDetail): HTMLElement {
  switch (d.kind) {
    case 'workflow':
      return workflowView(d);
    case 'task':
      return taskView(d);
    case 'ops':
      return opsView(d);
  }
}

/** Resolves after the browser has painted what is on screen now. */
const afterPaint = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

interface Route {
  run: string | null;
  batch: { study: string; batch: string } | null;
  q: string;
  /** `#/runs` or a filter: the runs table even on a batch page. */
  list: boolean;
}

function route(): Route {
  const hash = location.hash.replace(/^#/, '');
  const m = /^\/run\/(.+)$/.exec(hash);
  if (m !== null) return { run: decodeURIComponent(m[1] ?? ''), batch: null, q: '', list: false };
  const b = /^\/batch\/([^/]+)\/([^/]+)$/.exec(hash);
  if (b !== null) return { run: null, batch: { study: decodeURIComponent(b[1] ?? ''), batch: decodeURIComponent(b[2] ?? '') }, q: '', list: false };
  const q = /^\/\?q=(.*)$/.exec(hash);
  return { run: null, batch: null, q: q !== null ? decodeURIComponent(q[1] ?? '') : '', list: q !== null || hash === '/runs' };
}

export async function start(): Promise<void> {
  performance.mark('runr:start');
  const data = await readData();
  performance.mark('runr:data');
  const app = document.getElementById('app');
  if (app === null) return;
  clear(app); // the static header the page was written with (document.ts)
  const liveEl = h('span', { class: 'meta', id: 'live' });
  app.appendChild(
    h(
      'header',
      { class: 'top' },
      h('h1', null, h('a', { href: '#/' }, data.title)),
      h('span', { class: 'meta' }, `${data.runs.length} of ${data.total_runs} runs${data.scope.where !== null ? ` where ${data.scope.where}` : ''} · generated ${when(data.generated_at)}`),
      liveEl,
    ),
  );
  const main = h('main');
  app.appendChild(main);
  if (data.problems.length > 0) {
    main.appendChild(h('div', { class: 'panel bad' }, h('strong', null, 'Records that could not be read: '), h('ul', { class: 'plain' }, data.problems.map((p) => h('li', null, h('code', null, p.run_id), ` ${p.message}`)))));
  }
  const content = h('div', { id: 'content' });
  main.appendChild(content);

  let runs: RunsSection | null = null;
  // A page made for one run, ops invocation or batch opens on it.
  const single = data.scope.kind !== 'store' && data.scope.kind !== 'batch' && data.runs.length === 1 ? (data.runs[0]?.run_id ?? null) : null;
  const onlyBatch = data.scope.kind === 'batch' ? (data.batches[0] ?? null) : null;
  // The runs' details are read once the first screen is painted (they are most of the data).
  let detailsRead = false;
  const details = afterPaint()
    .then(readDetails)
    .then((d) => {
      for (const [id, v] of Object.entries(d)) if (!(id in data.details)) data.details[id] = v;
      detailsRead = true;
      performance.mark('runr:details');
    });
  details.catch((err: unknown) => {
    // Shown on the page; the rejection itself reaches the console.
    main.prepend(h('div', { class: 'panel bad' }, err instanceof Error ? err.message : String(err)));
  });
  const show = () => {
    const r = route();
    if (!detailsRead && (r.run !== null || r.batch !== null || single !== null || (onlyBatch !== null && !r.list))) {
      runs = null;
      clear(content);
      content.appendChild(h('div', { class: 'muted' }, 'reading the runs…'));
      void details.then(show);
      return;
    }
    const b = r.batch !== null ? data.batches.find((x) => x.study === r.batch?.study && x.batch_id === r.batch.batch) : r.run === null && !r.list ? onlyBatch : null;
    if (b !== undefined && b !== null) {
      runs = null;
      clear(content);
      if (onlyBatch === null || b !== onlyBatch) content.appendChild(h('nav', { class: 'back' }, h('a', { href: '#/' }, '← all runs')));
      content.appendChild(batchView(b, data));
      if (b === onlyBatch && data.runs.length > 0) content.appendChild(h('nav', { class: 'back' }, h('a', { href: '#/runs', id: 'variant-runs' }, `the ${data.runs.length} run${data.runs.length === 1 ? '' : 's'} of its variants →`)));
      return;
    }
    const id = r.run ?? single;
    if (id !== null) {
      runs = null;
      clear(content);
      const d = data.details[id];
      if (data.scope.kind === 'batch') content.appendChild(h('nav', { class: 'back' }, h('a', { href: '#/' }, '← the batch'), ' · ', h('a', { href: '#/runs' }, 'its runs')));
      else if (data.scope.kind === 'store' || data.runs.length > 1) content.appendChild(h('nav', { class: 'back' }, h('a', { href: '#/' }, '← all runs')));
      content.appendChild(d !== undefined ? detailView(d) : h('div', { class: 'panel' }, `No detail recorded for ${id} (a run of another tool, or not in this page).`));
      return;
    }
    if (runs === null) {
      clear(content);
      runs = runsSection(data, r.q);
      content.appendChild(runs.el);
      const studies = batchesList(data);
      if (studies !== null) content.appendChild(studies);
    }
  };
  window.addEventListener('hashchange', show);
  show();
  // The rows are drawn in a microtask (the chart needs the section's width): mark after it.
  queueMicrotask(() => performance.mark('runr:drawn'));

  if (data.live !== null) {
    startLive(data.live.events, liveEl, (entry: ManifestEntry, detail: RunDetail | null) => {
      const i = data.runs.findIndex((e) => e.run_id === entry.run_id);
      if (i === -1) data.runs.push(entry);
      else data.runs[i] = entry;
      if (detail !== null) data.details[entry.run_id] = detail;
      const r = route();
      if ((r.run ?? single) === entry.run_id) {
        runs = null;
        show();
      } else if (runs !== null) runs.refresh();
    });
  }
}
