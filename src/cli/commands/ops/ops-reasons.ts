/**
 * Why each run that is not valid was left out, one line per run, said on the terminal after the
 * harness's table (issue 15, item 10). The table itself stays byte for byte the harness's, so the
 * lines go to stderr: `not valid: <model> (<instance>): incomplete (monitor_timeout)`.
 */
import { notVerifiedReason } from '../../../core/ops/lifecycle-rules.js';
import { failedChecks } from '../../../core/ops/verify-checks.js';
import type { RunOutcome } from '../../../core/ops/types.js';

export function invalidReasonLines(invalid: readonly RunOutcome[]): string[] {
  return invalid.map((o) => {
    const why = o.verification !== null ? `verification failed (${failedChecks(o.verification).join(', ')})` : notVerifiedReason(o);
    return `not valid: ${o.candidate.model_id} (${o.candidate.instance_id}): ${why}`;
  });
}
