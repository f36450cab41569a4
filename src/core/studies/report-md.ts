/** `batches/<batch_id>/report.md` from the report data (pure). */
import type { BatchReport, PairedMetric } from './report-model.js';
import type { Summary } from './stats.js';

export function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const a = Math.abs(x);
  const s = a !== 0 && (a < 1e-3 || a >= 1e6) ? x.toExponential(3) : x.toFixed(a >= 100 ? 2 : 4);
  return s.includes('.') && !s.includes('e') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

const ci = (c: [number, number] | null) => (c === null ? '—' : `[${fmt(c[0])}, ${fmt(c[1])}]`);
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function table(head: string[], rows: string[][]): string[] {
  return [`| ${head.map(cell).join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

function summaryCells(s: Summary | undefined): string[] {
  return s === undefined ? ['0', '—', '—', '—'] : [String(s.n), fmt(s.mean), fmt(s.sd), ci(s.ci95)];
}

function pairedCells(p: PairedMetric | undefined): string[] {
  return p === undefined ? ['0', '—', '—', 'inconclusive'] : [String(p.n), fmt(p.mean_diff), ci(p.ci95), p.verdict];
}

export const REPORT_MARKER = '<!-- runr-report-state:';

export function renderReportMarkdown(r: BatchReport, stateSha: string): string {
  const L: string[] = [];
  L.push(`# Experiment report: ${r.study} / ${r.batch_id}`, '');
  L.push(`- Objective: ${r.objective}`);
  L.push(`- Scenario revision: ${r.scenario_rev}; config revision: ${r.config_rev}`);
  L.push(`- Created: ${r.created_at}; report generated: ${r.generated_at}`);
  L.push(`- Seeds: ${r.stability.seeds.join(', ')}; variants: ${r.variants.length}; batch: ${r.batch_state}`);
  for (const [k, p] of Object.entries(r.base_paths)) L.push(`- Base ${k}: \`${p}\``);
  L.push('', '## Gate status (PASS / WARN / FAIL)', '');
  L.push(...table(['variant', 'state', ...r.stages], r.variants.map((v) => [v.id, v.state, ...r.stages.map((s) => (v.stages[s] ?? 'NOT_RUN').replace('NOT_RUN', '—'))])));
  const g = r.gate_summary;
  L.push('', `Totals: ${g.PASS} PASS, ${g.WARN} WARN, ${g.FAIL} FAIL${g.NOT_RUN > 0 ? `, ${g.NOT_RUN} not run` : ''}${g.RUNNING > 0 ? `, ${g.RUNNING} interrupted` : ''}.`);
  const notes = r.variants.flatMap((v) => Object.entries(v.stage_notes).map(([s, n]) => `- ${v.id} / ${s}: ${n}`));
  if (notes.length > 0) L.push('', ...notes);
  const names = r.metrics.map((m) => m.name);
  L.push('', '## Metrics by variant', '');
  if (names.length === 0) L.push('The pipeline declares no metrics.');
  else L.push(...table(['variant', 'seed', 'configuration', ...names], r.variants.map((v) => [v.id, String(v.seed), v.arm, ...names.map((n) => fmt(v.metrics[n]))])));
  L.push('', '## Segment analyses', '');
  for (const t of r.segments) {
    L.push(`### By ${t.axis}`, '');
    if (names.length === 0) {
      L.push(...table([t.axis, 'variants'], t.rows.map((row) => [`${row.value}${row.baseline ? ' (baseline)' : ''}`, String(row.variants.length)])), '');
      continue;
    }
    L.push(...table([t.axis, ...names.flatMap((n) => [`${n} n`, `${n} mean`, `${n} sd`])], t.rows.map((row) => [`${row.value}${row.baseline ? ' (baseline)' : ''}`, ...names.flatMap((n) => summaryCells(row.metrics[n]).slice(0, 3))])), '');
  }
  L.push('## Stability across seeds', '');
  if (r.stability.caveat !== null) L.push(`> ${r.stability.caveat}`, '');
  for (const n of names) {
    L.push(`### ${n}`, '');
    L.push(...table(['configuration', 'seeds', 'n', 'mean', 'sd', '95% CI (t)'], r.stability.arms.map((a) => [a.arm, a.seeds.join(', '), ...summaryCells(a.metrics[n])])), '');
  }
  L.push('## Comparison with baseline', '');
  const c = r.comparison;
  if (c === null) L.push('No baseline batch was given (`--baseline <batch_id>|latest`).');
  else {
    L.push(`Baseline: ${c.baseline_batch}. Paired by seed: difference = this batch − baseline; verdict from the 95% t interval of the mean difference (inconclusive when it spans 0).`, '');
    if (!c.comparable) L.push(`**NOT COMPARABLE** (computed with --force): ${c.reasons.join('; ')}.`, '');
    for (const n of names) {
      L.push(`### ${n}`, '');
      L.push(...table(['configuration', 'baseline configuration', 'pairs', 'mean diff', '95% CI', 'verdict'], c.arms.map((a) => [a.arm, a.baseline_arm, ...pairedCells(a.metrics[n])])), '');
    }
  }
  L.push(`${REPORT_MARKER} ${stateSha} -->`, '');
  return L.join('\n');
}

/** The state hash a report.md was written for (null when it has no marker). */
export function reportStateOf(text: string): string | null {
  const i = text.lastIndexOf(REPORT_MARKER);
  if (i < 0) return null;
  const m = /^([0-9a-f]{64}) -->/.exec(text.slice(i + REPORT_MARKER.length).trim());
  return m?.[1] ?? null;
}
