/**
 * The lifecycle's stdout block, as the harness prints it: the run table (instances over 24
 * characters cut to 21 + "...", a never-verified run shows FAIL, runtime = end − start with `.0f`,
 * 0 on a parse error), `**Invariant regressions:**`, an optional `**Recommendation:**` (the phase-4B
 * wrapper) and `Report: <path>`.
 */
import { pyFormatFixed } from './pyfloat.js';
import { pyGet } from './pyvalue.js';
import { pyStr } from './pyrepr.js';
import { pyDurationSeconds } from './pydatetime.js';
import type { RunOutcome } from './types.js';

export const TABLE_HEADER = '| Model | Instance | Verifier | exit_status | cases | Runtime (s) | schema |';
export const TABLE_RULE = '|-------|----------|----------|-------------|-------|-------------|--------|';

export function tableRow(r: RunOutcome): string {
  const env = r.candidate.envelope;
  const chars = [...r.candidate.instance_id];
  const inst = chars.length > 24 ? `${chars.slice(0, 21).join('')}...` : r.candidate.instance_id;
  const runtime = pyDurationSeconds(pyGet(env, 'run_start_ts_utc', ''), pyGet(env, 'run_end_ts_utc', ''));
  return (
    `| ${r.candidate.model_id} | ${inst} | ${r.verifier_pass ? 'PASS' : 'FAIL'} | ${pyStr(pyGet(env, 'exit_status', '?'))} | ` +
    `${pyStr(pyGet(env, 'total_cases_completed', 0n))}/${pyStr(pyGet(env, 'total_cases_expected', 0n))} | ` +
    `${runtime === null ? '0' : pyFormatFixed(runtime, 0)} | ${pyStr(pyGet(env, 'schema_version', ''))} |`
  );
}

export interface LifecycleBlock {
  /** "RunOps" for the lifecycle, "Phase 4B" for the phase-4B wrapper. */
  label: string;
  /** Valid runs first, then invalid ones, as the harness lists them. */
  rows: readonly RunOutcome[];
  /** Model ids of the runs that failed verification. */
  regressions: readonly string[];
  /** Recommendation text (the wrapper's), or null. */
  recommendation: string | null;
  reportPath: string;
}

export function lifecycleLines(b: LifecycleBlock): string[] {
  const lines = ['', `=== ${b.label} Lifecycle Output ===`, '', TABLE_HEADER, TABLE_RULE, ...b.rows.map(tableRow), ''];
  if (b.regressions.length > 0) {
    lines.push('**Invariant regressions:**', ...b.regressions.map((m) => `  - ${m}: verification FAIL`));
  } else {
    lines.push('**Invariant regressions:** None');
  }
  if (b.recommendation !== null) lines.push('', '**Recommendation:**', `  ${b.recommendation}`);
  lines.push('', `Report: ${b.reportPath}`);
  return lines;
}
