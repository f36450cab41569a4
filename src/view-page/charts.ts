/**
 * Charts with uPlot (≈50 KB, MIT, canvas; chosen for size and speed — see docs/view.md). Colors
 * come from the page's CSS variables so charts follow the light or dark theme.
 */
import uPlot from 'uplot';
import { fmt } from '../core/studies/report-md.js';

export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

function axes(): uPlot.Axis[] {
  const stroke = cssVar('--muted');
  const grid = { stroke: cssVar('--line'), width: 1 };
  return [
    { stroke, grid, ticks: grid },
    { stroke, grid, ticks: grid, size: 44 },
  ];
}

function widthOf(el: HTMLElement): number {
  return Math.max(280, el.clientWidth || (el.parentElement?.clientWidth ?? 600));
}

const charts = new Set<uPlot>();
let resizeHooked = false;
function track(u: uPlot, el: HTMLElement): void {
  charts.add(u);
  if (!resizeHooked) {
    resizeHooked = true;
    window.addEventListener('resize', () => {
      for (const c of charts) {
        if (!document.body.contains(c.root)) charts.delete(c);
        else c.setSize({ width: widthOf(c.root.parentElement ?? el), height: c.height });
      }
    });
  }
}

/**
 * Stacked bars of counts per bucket. uPlot draws series in order, so series k is drawn as the
 * sum of groups k..n (tallest first) and each later series covers the part above it; the legend
 * shows each group's own count.
 */
export function stackedBars(el: HTMLElement, xs: number[], groups: Array<{ label: string; color: string; values: number[] }>, opts: { height?: number; time?: boolean; xLabels?: string[]; xRange?: [number, number] } = {}): uPlot {
  const sums: number[][] = groups.map((_, k) => xs.map((_x, i) => groups.slice(k).reduce((acc, g) => acc + (g.values[i] ?? 0), 0)));
  const bars = uPlot.paths.bars?.({ size: [0.8, 60], align: 0 });
  const series: uPlot.Series[] = [
    opts.xLabels !== undefined ? { label: 'run', value: (_u, v) => (v === null ? '' : (opts.xLabels?.[v] ?? '')) } : {},
    ...groups.map((g, k) => ({
      label: g.label,
      stroke: g.color,
      fill: g.color,
      width: 0,
      ...(bars !== undefined ? { paths: bars } : {}),
      points: { show: false },
      value: (_u: uPlot, _v: number | null, _s: number, idx: number | null) => (idx === null ? '' : String(groups[k]?.values[idx] ?? 0)),
    })),
  ];
  const xAxis: uPlot.Axis = opts.xLabels !== undefined ? { ...axes()[0], values: (_u, ticks) => ticks.map((t) => opts.xLabels?.[t] ?? '') } : (axes()[0] as uPlot.Axis);
  const u = new uPlot(
    {
      width: widthOf(el),
      height: opts.height ?? 180,
      scales: { x: { time: opts.time ?? true, ...(opts.xRange !== undefined ? { range: (): uPlot.Range.MinMax => opts.xRange ?? [0, 1] } : opts.xLabels !== undefined ? { range: (_u, min, max) => [min - 0.5, max + 0.5] } : {}) }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      axes: [xAxis, axes()[1] as uPlot.Axis],
      series,
      cursor: { points: { show: false } },
      // Records are UTC, and so is every time on the page.
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'),
    },
    [xs, ...sums],
    el,
  );
  track(u, el);
  return u;
}

/** One metric per candidate as bars (ops compaction metrics). */
export function metricBars(el: HTMLElement, labels: string[], label: string, values: Array<number | null>, color: string): uPlot {
  const xs = labels.map((_, i) => i);
  const bars = uPlot.paths.bars?.({ size: [0.6, 80], align: 0 });
  const u = new uPlot(
    {
      width: widthOf(el),
      height: 170,
      title: label,
      scales: { x: { time: false, range: (_u, min, max) => [min - 0.5, max + 0.5] }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
      axes: [{ ...axes()[0], values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) && t >= 0 && t < labels.length ? `#${t + 1}` : '')) }, axes()[1] as uPlot.Axis],
      series: [{ label: 'run', value: (_u, v) => (v === null ? '' : `#${v + 1} ${labels[v] ?? ''}`) }, { label, stroke: color, fill: color, width: 0, ...(bars !== undefined ? { paths: bars } : {}), points: { show: false } }],
    },
    [xs, values],
    el,
  );
  track(u, el);
  return u;
}

export interface ErrorPoint {
  mean: number | null;
  /** The 95% interval, null when there are fewer than two values. */
  ci95: [number, number] | null;
}

/**
 * One metric by the values of a sweep axis: a point at each mean with its 95% interval drawn as an
 * error bar (whisker and caps, drawn on uPlot's canvas after the series).
 */
export function errorBars(el: HTMLElement, labels: string[], label: string, points: ErrorPoint[], color: string): uPlot {
  const xs = labels.map((_, i) => i);
  const ys = points.map((p) => p.mean);
  const lows = points.flatMap((p) => (p.ci95 !== null ? [p.ci95[0]] : p.mean !== null ? [p.mean] : []));
  const highs = points.flatMap((p) => (p.ci95 !== null ? [p.ci95[1]] : p.mean !== null ? [p.mean] : []));
  const lo = lows.length > 0 ? Math.min(...lows) : 0;
  const hi = highs.length > 0 ? Math.max(...highs) : 1;
  const pad = hi > lo ? (hi - lo) * 0.15 : Math.abs(hi) * 0.1 || 1;
  const drawWhiskers = (u: uPlot) => {
    const ctx = u.ctx;
    ctx.save();
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.5 * devicePixelRatio;
    const cap = 6 * devicePixelRatio;
    points.forEach((p, i) => {
      if (p.ci95 === null) return;
      const x = u.valToPos(i, 'x', true);
      const y0 = u.valToPos(p.ci95[0], 'y', true);
      const y1 = u.valToPos(p.ci95[1], 'y', true);
      ctx.beginPath();
      ctx.moveTo(x, y0);
      ctx.lineTo(x, y1);
      ctx.moveTo(x - cap, y0);
      ctx.lineTo(x + cap, y0);
      ctx.moveTo(x - cap, y1);
      ctx.lineTo(x + cap, y1);
      ctx.stroke();
    });
    ctx.restore();
  };
  const u = new uPlot(
    {
      width: Math.min(widthOf(el), 520),
      height: 190,
      title: label,
      scales: { x: { time: false, range: (): uPlot.Range.MinMax => [-0.5, labels.length - 0.5] }, y: { range: (): uPlot.Range.MinMax => [lo - pad, hi + pad] } },
      axes: [{ ...axes()[0], values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? (labels[t] ?? '') : '')), splits: () => xs }, axes()[1] as uPlot.Axis],
      series: [
        { label: 'value', value: (_u, v) => (v === null ? '' : (labels[v] ?? '')) },
        {
          label: 'mean (95% interval)',
          stroke: color,
          width: 0,
          points: { show: true, size: 8, fill: color, stroke: color },
          value: (_u, _v, _s, idx) => {
            const p = idx === null ? undefined : points[idx];
            if (p === undefined || p.mean === null) return '–';
            return p.ci95 === null ? fmt(p.mean) : `${fmt(p.mean)} [${fmt(p.ci95[0])}, ${fmt(p.ci95[1])}]`;
          },
        },
      ],
      hooks: { draw: [drawWhiskers] },
    },
    [xs, ys],
    el,
  );
  track(u, el);
  return u;
}

