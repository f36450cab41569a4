/**
 * Studies batches (`runr batch report`'s data): per batch the PASS / WARN / FAIL matrix of
 * variants × stages, each metric by each sweep axis with its 95% interval as an error bar, the
 * stability across seeds, and the paired comparison with the baseline batch. Numbers are
 * formatted as report.md formats them (the same function).
 */
import { fmt } from '../core/studies/report-md.js';
import type { BatchView, ViewData } from '../core/view/model.js';
import { cssVar, errorBars } from './charts.js';
import type { Child } from './dom.js';
import { badge, h, kv, table } from './dom.js';
import { when } from './format.js';

const ci = (c: [number, number] | null) => (c === null ? '—' : `[${fmt(c[0])}, ${fmt(c[1])}]`);
const CELL_CLASS: Record<string, string> = { PASS: 'PASS', WARN: 'warn', FAIL: 'FAIL', RUNNING: 'RUNNING', NOT_RUN: 'NOT_RUN' };
const VERDICT_CLASS: Record<string, string> = { better: 'pass', worse: 'fail', inconclusive: 'NOT_RUN' };

export const batchHref = (b: { study: string; batch_id: string }) => `#/batch/${encodeURIComponent(b.study)}/${encodeURIComponent(b.batch_id)}`;

/** The list of batches under the runs (store page). */
export function batchesList(data: ViewData): HTMLElement | null {
  if (data.batches.length === 0) return null;
  return h(
    'section',
    { id: 'studies' },
    h('h2', null, 'Studies'),
    table(
      ['study', 'batch', 'objective', 'state', 'variants', 'gates', 'compared with'],
      data.batches.map((b) => [
        b.study,
        h('a', { href: batchHref(b), class: 'mono batch-link' }, b.batch_id),
        b.objective,
        badge(b.batch_state, b.batch_state === 'success' ? 'PASS' : b.batch_state === 'failed' ? 'FAIL' : 'NOT_RUN'),
        String(b.variants.length),
        `${b.gate_summary.PASS} PASS · ${b.gate_summary.WARN} WARN · ${b.gate_summary.FAIL} FAIL`,
        b.comparison !== null ? h('code', null, b.comparison.baseline_batch) : '–',
      ]),
      'batches',
    ),
  );
}

function matrix(b: BatchView, data: ViewData): HTMLTableElement {
  const rows: Child[][] = b.variants.map((v) => [
    h('code', null, v.id),
    String(v.seed),
    v.arm,
    v.run_id !== null && data.details[v.run_id] !== undefined ? h('a', { href: `#/run/${encodeURIComponent(v.run_id)}`, class: 'mono' }, v.state) : v.state,
    ...b.stages.map((s) => {
      const cell = v.stages[s] ?? 'NOT_RUN';
      const note = v.stage_notes[s];
      const td = h('td', { class: 'cell', data: { stage: s, cell } }, badge(cell === 'NOT_RUN' ? '—' : cell, CELL_CLASS[cell] ?? 'NOT_RUN'));
      if (note !== undefined && note !== '') {
        td.title = note;
        td.appendChild(h('div', { class: 'note' }, note));
      }
      return td;
    }),
  ]);
  const t = table(['variant', 'seed', 'configuration', 'state', ...b.stages], rows, 'matrix');
  t.querySelectorAll('tbody tr').forEach((tr, i) => tr.setAttribute('data-variant', b.variants[i]?.id ?? ''));
  return t;
}

function segments(b: BatchView, charts: Array<() => void>): HTMLElement {
  const names = b.metrics.map((m) => m.name);
  const wrap = h('div', { id: 'segments' });
  if (names.length === 0) {
    wrap.appendChild(h('div', { class: 'muted' }, 'The pipeline declares no metrics.'));
    return wrap;
  }
  for (const seg of b.segments) {
    const labels = seg.rows.map((r) => `${r.value}${r.baseline ? ' (baseline)' : ''}`);
    const grid = h('div', { class: 'charts' });
    wrap.appendChild(h('div', { class: 'segment', data: { axis: seg.axis } }, h('h4', null, `By ${seg.axis}`), grid));
    for (const n of names) {
      const el = h('div', { class: 'chart errorbars', data: { axis: seg.axis, metric: n } });
      grid.appendChild(el);
      const points = seg.rows.map((r) => ({ mean: r.metrics[n]?.mean ?? null, ci95: r.metrics[n]?.ci95 ?? null }));
      charts.push(() => errorBars(el, labels, n, points, cssVar('--running')));
    }
    wrap.appendChild(
      table(
        [seg.axis, ...names.flatMap((n) => [`${n} n`, `${n} mean`, `${n} 95% CI`])],
        seg.rows.map((r) => [labels[seg.rows.indexOf(r)] ?? r.value, ...names.flatMap((n) => [String(r.metrics[n]?.n ?? 0), fmt(r.metrics[n]?.mean ?? null), ci(r.metrics[n]?.ci95 ?? null)])]),
        'segment-table',
      ),
    );
  }
  return wrap;
}

function stability(b: BatchView): HTMLElement {
  const names = b.metrics.map((m) => m.name);
  return h(
    'div',
    { id: 'stability' },
    b.stability.caveat !== null ? h('div', { class: 'panel' }, b.stability.caveat) : null,
    names.length === 0
      ? null
      : table(
          ['configuration', 'seeds', ...names.flatMap((n) => [`${n} mean`, `${n} sd`, `${n} 95% CI`])],
          b.stability.arms.map((a) => [a.arm, a.seeds.join(', '), ...names.flatMap((n) => [fmt(a.metrics[n]?.mean ?? null), fmt(a.metrics[n]?.sd ?? null), ci(a.metrics[n]?.ci95 ?? null)])]),
          'stability-table',
        ),
  );
}

function comparison(b: BatchView): HTMLElement {
  const c = b.comparison;
  if (c === null) return h('div', { id: 'comparison', class: 'muted' }, 'No baseline: run `runr batch report … --baseline <batch_id|latest>` to compare.');
  const names = b.metrics.map((m) => m.name);
  const better = Object.fromEntries(b.metrics.map((m) => [m.name, m.better]));
  const rows: Child[][] = c.arms.flatMap((a) =>
    names.map((n) => {
      const p = a.metrics[n];
      return [a.arm, a.baseline_arm, `${n} (${better[n] ?? 'higher'} is better)`, String(p?.n ?? 0), fmt(p?.mean_diff ?? null), ci(p?.ci95 ?? null), badge(p?.verdict ?? 'inconclusive', VERDICT_CLASS[p?.verdict ?? 'inconclusive'] ?? 'NOT_RUN')];
    }),
  );
  const t = table(['configuration', 'baseline configuration', 'metric', 'pairs', 'mean difference', '95% CI', 'verdict'], rows, 'comparison-table');
  t.querySelectorAll('tbody tr').forEach((tr, i) => {
    const a = c.arms[Math.floor(i / Math.max(1, names.length))];
    tr.setAttribute('data-arm', a?.arm ?? '');
    tr.setAttribute('data-metric', names[i % Math.max(1, names.length)] ?? '');
  });
  return h(
    'div',
    { id: 'comparison' },
    h('p', null, 'Paired by seed with baseline batch ', h('code', null, c.baseline_batch), ': the difference this batch − baseline, per seed.'),
    !c.comparable ? h('div', { class: 'panel bad' }, h('strong', null, 'NOT COMPARABLE'), c.forced ? ' (computed with --force)' : '', ': ', c.reasons.join('; ')) : null,
    t,
  );
}

export function batchView(b: BatchView, data: ViewData): HTMLElement {
  const charts: Array<() => void> = [];
  const g = b.gate_summary;
  const el = h(
    'section',
    { id: 'detail', class: 'batch', data: { batch: b.batch_id } },
    h('h2', null, 'Batch ', h('code', null, b.batch_id), ' ', badge(b.batch_state, b.batch_state === 'success' ? 'PASS' : b.batch_state === 'failed' ? 'FAIL' : 'NOT_RUN')),
    kv([
      ['study', b.study],
      ['objective', b.objective],
      ['revisions', `${b.scenario_rev} · ${b.config_rev}`],
      ['seeds', b.stability.seeds.join(', ')],
      ['created', when(b.created_at)],
      ['report', b.report_href !== null ? h('a', { href: b.report_href }, 'report.md') : 'not written'],
    ]),
    h('h3', null, 'Gates: variants × stages (PASS / WARN / FAIL)'),
    matrix(b, data),
    h('p', { class: 'muted', id: 'gate-totals' }, `${g.PASS} PASS, ${g.WARN} WARN, ${g.FAIL} FAIL${g.NOT_RUN > 0 ? `, ${g.NOT_RUN} not run` : ''}${g.RUNNING > 0 ? `, ${g.RUNNING} interrupted` : ''}`),
    h('h3', null, 'Metrics by sweep axis (mean, 95% interval)'),
    segments(b, charts),
    h('h3', null, 'Stability across seeds'),
    stability(b),
    h('h3', null, 'Paired comparison with the baseline'),
    comparison(b),
  );
  // Charts need the section in the document (their width).
  queueMicrotask(() => charts.forEach((draw) => draw()));
  return el;
}
