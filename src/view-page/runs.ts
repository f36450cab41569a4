/**
 * The Runs section: a filter in runr's own query language (the very module `runr find` uses,
 * compiled into this page), a chart of runs over time by status, and a sortable table.
 */
import type { ManifestEntry } from '../core/manifest/entry.js';
import { compileQuery } from '../core/query/compile.js';
import type { ViewData } from '../core/view/model.js';
import { cssVar, stackedBars } from './charts.js';
import type { Child } from './dom.js';
import { badge, clear, h } from './dom.js';
import { count, duration, durationBetween, paramsText, when } from './format.js';

export const STATUS_ORDER = ['PASSED', 'FAILED', 'STOPPED', 'RUNNING', 'QUEUED', 'CANCELED'] as const;
const STATUS_COLOR: Record<string, string> = { PASSED: '--pass', FAILED: '--fail', STOPPED: '--stopped', RUNNING: '--running', QUEUED: '--queued', CANCELED: '--canceled' };

interface Column {
  key: string;
  label: string;
  num?: boolean;
  sort: (e: ManifestEntry) => string | number;
  cell: (e: ManifestEntry) => Child;
}

const tokens = (e: ManifestEntry) => (e.total_tokens_in ?? 0) + (e.total_tokens_out ?? 0);
const dur = (e: ManifestEntry) => durationBetween(e.start_time, e.end_time);
const what = (e: ManifestEntry): string => {
  const task = e.params.task;
  if (e.kind === 'task' && typeof task === 'string') return task;
  return e.workflow ?? e.framework;
};

const COLUMNS: Column[] = [
  { key: 'run_id', label: 'run', sort: (e) => e.run_id, cell: (e) => h('a', { href: `#/run/${encodeURIComponent(e.run_id)}`, class: 'mono run-link' }, e.run_id) },
  { key: 'kind', label: 'kind', sort: (e) => e.kind ?? '', cell: (e) => e.kind ?? '' },
  { key: 'workflow', label: 'workflow / task', sort: what, cell: what },
  { key: 'status', label: 'status', sort: (e) => e.status ?? '', cell: (e) => (e.status !== null ? badge(e.status) : '') },
  { key: 'stop_reason', label: 'stop reason', sort: (e) => e.stop_reason ?? '', cell: (e) => e.stop_reason ?? '' },
  { key: 'started', label: 'started (UTC)', sort: (e) => e.start_time ?? '', cell: (e) => when(e.start_time) },
  { key: 'duration', label: 'duration', num: true, sort: (e) => dur(e) ?? -1, cell: (e) => duration(dur(e)) },
  { key: 'tokens', label: 'tokens', num: true, sort: tokens, cell: (e) => (tokens(e) > 0 ? count(tokens(e)) : '') },
  { key: 'params', label: 'params', sort: (e) => paramsText(e.params), cell: (e) => h('span', { class: 'params mono' }, paramsText(e.params)) },
];

const PAGE = 500;
/** Rows drawn before the first paint; the rest of the page follows right after. */
const FIRST = 100;
let generation = 0;

export interface RunsSection {
  el: HTMLElement;
  /** Re-render with the current data (live mode). */
  refresh: () => void;
}

export function runsSection(data: ViewData, initialFilter: string): RunsSection {
  let sortKey: string | null = null;
  let sortDir: 1 | -1 = 1;
  let shown = PAGE;
  let rows: ManifestEntry[] = data.runs;
  const input = h('input', { id: 'filter', attrs: { type: 'search', spellcheck: 'false', placeholder: "filter: status = 'FAILED' or params.seed in (1, 2)", 'aria-label': 'filter runs with a runr query' } });
  input.value = initialFilter;
  const countEl = h('span', { class: 'count', id: 'run-count' });
  const errorEl = h('div', { id: 'filter-error' });
  const chartEl = h('div', { class: 'chart', id: 'runs-chart' });
  const tableEl = h('div', { id: 'runs-table' });

  const applyFilter = () => {
    clear(errorEl);
    const expr = input.value.trim();
    if (expr === '') rows = data.runs;
    else {
      try {
        const q = compileQuery(expr);
        rows = data.runs.filter(q.matches);
      } catch (err) {
        errorEl.appendChild(h('pre', { class: 'error' }, err instanceof Error ? err.message : String(err)));
        rows = [];
      }
    }
    shown = PAGE;
    const hash = expr === '' ? '#/' : `#/?q=${encodeURIComponent(expr)}`;
    if (location.hash !== hash && (location.hash === '' || location.hash.startsWith('#/?') || location.hash === '#/')) history.replaceState(null, '', hash);
    render();
  };

  const sorted = (): ManifestEntry[] => {
    const col = COLUMNS.find((c) => c.key === sortKey);
    if (col === undefined) return rows;
    return [...rows].sort((a, b) => {
      const x = col.sort(a);
      const y = col.sort(b);
      return (x < y ? -1 : x > y ? 1 : a.run_id < b.run_id ? -1 : 1) * sortDir;
    });
  };

  const renderTable = () => {
    clear(tableEl);
    const list = sorted();
    const head = h(
      'tr',
      null,
      COLUMNS.map((c) =>
        h(
          'th',
          {
            class: `sortable${sortKey === c.key ? (sortDir === 1 ? ' sorted-asc' : ' sorted-desc') : ''}`,
            data: { key: c.key },
            on: {
              click: () => {
                if (sortKey === c.key) sortDir = sortDir === 1 ? -1 : 1;
                else [sortKey, sortDir] = [c.key, 1];
                renderTable();
              },
            },
          },
          c.label,
        ),
      ),
    );
    const body = h('tbody');
    const row = (e: ManifestEntry) => h('tr', { data: { runId: e.run_id, status: e.status ?? '' } }, COLUMNS.map((c) => h('td', c.num === true ? { class: 'num' } : null, c.cell(e))));
    // The first screen of rows now, the rest of the page once that is painted.
    for (const e of list.slice(0, Math.min(shown, FIRST))) body.appendChild(row(e));
    const gen = ++generation;
    if (shown > FIRST && list.length > FIRST) {
      requestAnimationFrame(() =>
        setTimeout(() => {
          if (gen !== generation) return;
          const rest = document.createDocumentFragment();
          for (const e of list.slice(FIRST, shown)) rest.appendChild(row(e));
          body.appendChild(rest);
        }, 0),
      );
    }
    tableEl.appendChild(h('table', { class: 'runs' }, h('thead', null, head), body));
    if (list.length > shown) {
      tableEl.appendChild(
        h('button', { class: 'more', on: { click: () => ((shown += PAGE * 4), renderTable()) } }, `show ${Math.min(PAGE * 4, list.length - shown)} more of ${list.length - shown}`),
      );
    }
  };

  const render = () => {
    countEl.textContent = `${rows.length} of ${data.runs.length} run${data.runs.length === 1 ? '' : 's'}`;
    renderTable();
    // The chart after the table is painted: its canvas costs more than the first screen of rows.
    const drawn = rows;
    requestAnimationFrame(() =>
      setTimeout(() => {
        if (rows === drawn) renderChart(chartEl, rows);
      }, 0),
    );
  };

  let timer: number | undefined;
  input.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(applyFilter, 150);
  });
  input.addEventListener('keydown', (ev) => {
    if ((ev as KeyboardEvent).key === 'Enter') {
      window.clearTimeout(timer);
      applyFilter();
    }
  });

  const el = h(
    'section',
    { id: 'runs' },
    h('h2', null, 'Runs'),
    h('div', { class: 'filter' }, input, countEl),
    errorEl,
    chartEl,
    tableEl,
  );
  // Render once the section is in the document (the chart needs its width).
  queueMicrotask(applyFilter);
  return { el, refresh: applyFilter };
}

/** Runs over time by status: buckets sized so that there are at most ~60. */
function renderChart(el: HTMLElement, rows: readonly ManifestEntry[]): void {
  clear(el);
  const times = rows.map((e) => (e.start_time !== null ? Date.parse(e.start_time) : NaN)).filter((t) => Number.isFinite(t));
  if (times.length === 0) return;
  const min = Math.min(...times);
  const max = Math.max(...times);
  const steps = [60e3, 5 * 60e3, 15 * 60e3, 3600e3, 6 * 3600e3, 86400e3, 7 * 86400e3, 30 * 86400e3];
  const step = steps.find((s) => (max - min) / s <= 60) ?? 30 * 86400e3;
  const start = Math.floor(min / step) * step;
  const n = Math.floor((max - start) / step) + 1;
  const xs = Array.from({ length: n }, (_, i) => (start + i * step) / 1000);
  const present = STATUS_ORDER.filter((s) => rows.some((e) => e.status === s));
  const other = rows.some((e) => !(STATUS_ORDER as readonly string[]).includes(e.status ?? ''));
  const groups = [...present, ...(other ? ['other'] : [])].map((s) => ({ label: s, color: cssVar(STATUS_COLOR[s] ?? '--queued'), values: new Array<number>(n).fill(0) }));
  for (const e of rows) {
    if (e.start_time === null) continue;
    const t = Date.parse(e.start_time);
    if (!Number.isFinite(t)) continue;
    const i = Math.floor((t - start) / step);
    const gi = present.indexOf(e.status as (typeof STATUS_ORDER)[number]);
    const g = groups[gi === -1 ? groups.length - 1 : gi];
    if (g !== undefined) g.values[i] = (g.values[i] ?? 0) + 1;
  }
  stackedBars(el, xs, groups, { height: 170, xRange: [(start - step) / 1000, (start + n * step) / 1000] });
}
