/**
 * The `summary` report: generic, for any run id (no compaction assumptions). Runs per model and
 * seed, a metrics table (one column per run, the union of metric keys in first-seen order), the
 * verification table of every candidate, and the excluded runs. Values print as Python would.
 */
import { pyFormatFixed } from './pyfloat.js';
import type { PyValue } from './pyvalue.js';
import { pyGet, pyTruthy } from './pyvalue.js';
import { pyStr } from './pyrepr.js';
import { pyDurationSeconds } from './pydatetime.js';
import { compareCodePoints } from './pyjson-dumps.js';
import { excludedSection } from './report-blocks.js';
import type { ReportInput, ReportRun } from './report-input.js';

const cell = (s: string): string => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

function bySeed(a: ReportRun, b: ReportRun): number {
  const sa = a.seed ?? Number.NEGATIVE_INFINITY;
  const sb = b.seed ?? Number.NEGATIVE_INFINITY;
  return compareCodePoints(a.model_id, b.model_id) || (sa < sb ? -1 : sa > sb ? 1 : 0) || compareCodePoints(a.instance_id, b.instance_id);
}

export function renderSummary(input: ReportInput): string {
  const runs = [...input.runs].sort(bySeed);
  const lines = [
    `# ${input.title}`,
    '',
    input.subtitle !== null && input.subtitle !== '' ? input.subtitle : `Run ID: ${input.run_id}. Summary of valid runs by model and seed.`,
    '',
    '---',
    '',
    '## Runs',
    '',
    '| Model | Seed | Instance | exit_status | cases | Runtime (s) | schema | execution_log_hash |',
    '|-------|------|----------|-------------|-------|-------------|--------|--------------------|',
  ];
  for (const r of runs) {
    const env = r.envelope;
    const runtime = pyDurationSeconds(pyGet(env, 'run_start_ts_utc', ''), pyGet(env, 'run_end_ts_utc', '')) ?? 0;
    const hash = pyGet(env, 'execution_log_hash', '');
    lines.push(
      `| ${cell(r.model_id)} | ${r.seed ?? '-'} | ${cell(r.instance_id)} | ${cell(pyStr(pyGet(env, 'exit_status', '?')))} | ` +
        `${pyStr(pyGet(env, 'total_cases_completed', 0n))}/${pyStr(pyGet(env, 'total_cases_expected', 0n))} | ` +
        `${pyFormatFixed(runtime, 0)} | ${cell(pyStr(pyGet(env, 'schema_version', '')))} | ${pyTruthy(hash) ? `${[...pyStr(hash)].slice(0, 16).join('')}...` : '-'} |`,
    );
  }
  if (runs.length === 0) lines.push('| (none) | - | - | - | - | - | - | - |');

  lines.push('', '## Metrics', '');
  const keys: string[] = [];
  for (const r of runs) for (const k of r.metrics.keys()) if (!keys.includes(k)) keys.push(k);
  if (runs.length === 0 || keys.length === 0) {
    lines.push('- (no metrics)');
  } else {
    const label = (r: ReportRun) => cell(`${r.model_id}${r.seed !== null ? ` seed ${r.seed}` : ''} (${r.instance_id})`);
    lines.push(`| Metric | ${runs.map(label).join(' | ')} |`, `|--------|${runs.map(() => '---|').join('')}`);
    for (const k of keys) {
      const vals = runs.map((r) => {
        const v: PyValue | undefined = r.metrics.get(k);
        return v === undefined ? '-' : cell(pyStr(v));
      });
      lines.push(`| ${cell(k)} | ${vals.join(' | ')} |`);
    }
  }

  lines.push('', '## Verification', '', '| Model | Instance | Verifier | Failed checks |', '|-------|----------|----------|---------------|');
  for (const r of runs) lines.push(`| ${cell(r.model_id)} | ${cell(r.instance_id)} | PASS | - |`);
  for (const x of input.excluded) {
    const why = x.failed_checks.length > 0 ? x.failed_checks.join(', ') : `not verified: ${x.reason ?? 'unknown'}`;
    lines.push(`| ${cell(x.model_id)} | ${cell(x.instance_id)} | FAIL | ${cell(why)} |`);
  }
  if (runs.length === 0 && input.excluded.length === 0) lines.push('| (none) | - | - | - |');

  lines.push('', '## Artifacts', '', `- Runs reported: ${runs.length}`, `- Runs excluded: ${input.excluded.length}`, '', ...excludedSection(input.excluded), '---', '');
  return lines.join('\n');
}
