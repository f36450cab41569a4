/**
 * The phase timeline of a task run: one lane for PLAN and one per milestone, one bar per phase
 * execution, placed by its start and end. Plain elements rather than a chart: lanes are
 * categories, and each bar is something a person can hover and a test can count.
 */
import type { PhaseBar } from '../core/view/model.js';
import { TIMELINE_PHASES } from '../core/view/model.js';
import { h } from './dom.js';
import { duration } from './format.js';

export function gantt(bars: readonly PhaseBar[], lanes: readonly string[]): HTMLElement {
  if (bars.length === 0) return h('div', { class: 'gantt empty muted', id: 'timeline' }, 'no phase has finished yet');
  const t0 = Math.min(...bars.map((b) => Date.parse(b.start)));
  const t1 = Math.max(...bars.map((b) => Date.parse(b.end)));
  const span = Math.max(1, t1 - t0);
  const pct = (t: number) => `${(((t - t0) / span) * 100).toFixed(3)}%`;
  const order = [...new Set(['plan', ...lanes, ...bars.map((b) => b.lane)])].filter((l) => bars.some((b) => b.lane === l));
  const ticks = h('div', { class: 'ticks' });
  for (let i = 0; i <= 4; i++) {
    const tick = h('span', { class: 'tick' }, duration((span * i) / 4));
    tick.style.left = `${i * 25}%`;
    ticks.appendChild(tick);
  }
  return h(
    'div',
    { class: 'gantt', id: 'timeline' },
    h('div', { class: 'legend' }, TIMELINE_PHASES.map((p) => h('span', null, h('span', { class: `sw ${p}` }), p)), h('span', null, 'striped: failed · faded: cut short')),
    order.map((lane) =>
      h(
        'div',
        { class: 'lane', data: { lane } },
        h('span', { class: 'lane-name' }, lane),
        h(
          'div',
          { class: 'track' },
          bars
            .filter((b) => b.lane === lane)
            .map((b) => {
              const el = h('div', { class: `bar ${b.phase} outcome-${b.outcome}`, title: `${b.phase} ${b.lane}: ${b.label} — ${duration(b.duration_ms)}`, data: { phase: b.phase, seq: String(b.seq), outcome: b.outcome } }, `${b.phase} ${duration(b.duration_ms)}`);
              el.style.left = pct(Date.parse(b.start));
              el.style.width = `${Math.max(0.3, ((Date.parse(b.end) - Date.parse(b.start)) / span) * 100).toFixed(3)}%`;
              return el;
            }),
        ),
      ),
    ),
    h('div', { class: 'axis' }, h('span'), ticks),
  );
}
