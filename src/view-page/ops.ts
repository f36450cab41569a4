/** A RunOps invocation: the lifecycle of each benchmark run, each verification check, compaction metrics as charts. */
import type { OpsDetail } from '../core/view/model.js';
import { COMPACTION_KEYS } from '../core/view/model.js';
import { auditBox } from './audit.js';
import { cssVar, metricBars } from './charts.js';
import { badge, h, kv, sha, table } from './dom.js';
import { when } from './format.js';

const mark = (pass: boolean | null) => (pass === null ? h('span', { class: 'muted' }, '–') : pass ? h('span', { class: 'check-pass' }, '✓') : h('span', { class: 'check-fail' }, '✗'));

export function opsView(d: OpsDetail): HTMLElement {
  const checkNames = [...new Set(d.candidates.flatMap((c) => c.checks.map((x) => x.name)))];
  const withCompaction = d.candidates.filter((c) => c.compaction !== null);
  const charts = h('div', { class: 'charts', id: 'compaction-charts' });
  const section = h(
    'section',
    { id: 'detail', class: 'ops' },
    h('h2', null, 'Benchmark ops run ', h('code', null, d.run_id), ' ', badge(d.status)),
    kv([
      ['stage', d.stage],
      ['runtime dir', h('code', null, d.runtime_dir)],
      ['harness run id', h('code', null, d.harness_run_id)],
      ['runs', `${d.counts.candidates} (${d.counts.valid} valid, ${d.counts.invalid} invalid, ${d.counts.verification_failures} failed verification)`],
      ['started', when(d.started_at)],
      ['report', d.report !== null ? h('span', null, d.report.href !== null ? h('a', { href: d.report.href }, d.report.path) : d.report.path, ' ', sha(d.report.sha256), d.report.kind !== null ? ` (${d.report.kind})` : '') : 'none written'],
    ]),
    h('h3', null, 'Lifecycle'),
    d.candidates.length === 0
      ? h('div', { class: 'muted' }, 'no runs matched')
      : table(['#', 'instance', 'model', 'scan', 'after monitoring', 'monitor timeout', 'verified'], d.candidates.map((c, i) => [`#${i + 1}`, h('code', null, c.instance_id), c.model_id, c.scan_status, c.status, c.monitor_timeout ? 'yes' : 'no', c.verifier_pass === null ? 'not verified' : badge(c.verifier_pass ? 'PASS' : 'FAIL')]), 'lifecycle'),
    h('h3', null, 'Verification checks'),
    d.candidates.length === 0 ? null : table(['instance', ...checkNames], d.candidates.map((c) => [h('code', null, c.instance_id), ...checkNames.map((n) => {
      const ch = c.checks.find((x) => x.name === n);
      return h('span', ch?.detail != null ? { title: ch.detail } : null, mark(ch?.pass ?? null));
    })]), 'checks'),
    h('h3', null, 'Compaction metrics'),
    withCompaction.length === 0 ? h('div', { class: 'muted' }, 'none recorded') : charts,
    auditBox(d.audit),
  );
  if (withCompaction.length > 0) {
    const labels = d.candidates.map((c) => `${c.model_id} ${c.instance_id}`);
    const colors = ['--running', '--pass', '--warn', '--canceled'];
    queueMicrotask(() => {
      COMPACTION_KEYS.forEach((k, i) => {
        const el = h('div', { class: 'chart', data: { metric: k } });
        charts.appendChild(el);
        metricBars(el, labels, k, d.candidates.map((c) => c.compaction?.[k] ?? null), cssVar(colors[i] ?? '--running'));
      });
    });
  }
  return section;
}
