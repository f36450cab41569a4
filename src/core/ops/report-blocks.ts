/**
 * Report texts shared by every generator: the harness's "awaiting" report (byte for byte) and the
 * list of runs left out of a report. The list reuses the harness's abort-report lines
 * (`- **model** (instance):` / `  - check: FAIL` / `  - overall: FAIL`); the harness printed it
 * instead of the report, runr prints it below the report of the valid runs.
 */
import type { ExcludedRun } from './report-input.js';

export function excludedLines(excluded: readonly ExcludedRun[]): string[] {
  const lines: string[] = [];
  for (const x of excluded) {
    lines.push(`- **${x.model_id}** (${x.instance_id}):`);
    if (x.failed_checks.length > 0) {
      for (const c of x.failed_checks) lines.push(`  - ${c}: FAIL`);
      lines.push('  - overall: FAIL');
    } else {
      lines.push(`  - not verified: ${x.reason ?? 'unknown'}`);
    }
    lines.push('');
  }
  return lines;
}

/** `## Excluded runs` section (empty when none), ending with a blank line. */
export function excludedSection(excluded: readonly ExcludedRun[]): string[] {
  if (excluded.length === 0) return [];
  return ['## Excluded runs', '', ...excludedLines(excluded)];
}

/** Fewer valid runs than required: the harness's text, then runr's list of excluded runs. */
export function awaitingReport(title: string, valid: number, minValid: number, excluded: readonly ExcludedRun[]): string {
  const head = `# ${title}\n\n**Awaiting valid artifacts.** Valid runs: ${valid}/${minValid} required.\n`;
  if (excluded.length === 0) return head;
  return `${head}\n${excludedSection(excluded).join('\n')}`;
}
