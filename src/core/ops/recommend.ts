/**
 * The phase-4B wrapper's recommendation (`phase4b_orchestrator`), in its order: verification
 * failures → abort; fewer than 2 valid runs → awaiting; max breach > 0 → abort; Σ dropped > 0 →
 * run the full ladder; else do not. Breach and dropped come from the valid runs' envelope metrics.
 * `label` replaces "Phase 4B" for other presets.
 */
import type { PyNum } from './pyvalue.js';
import { asNum, isDict, pyGet, pyGt, pyMax, pySum } from './pyvalue.js';
import type { RunOutcome } from './types.js';

export function wrapperRecommendation(label: string, valid: readonly RunOutcome[], verificationFailures: number): string {
  if (verificationFailures > 0) return `Abort ${label} direction — fix verification failures before reporting.`;
  if (valid.length < 2) return `${label} minimal signal incomplete — awaiting valid artifacts. Do not run full ladder.`;
  const metric = (r: RunOutcome, k: string): PyNum => {
    const m = pyGet(r.candidate.envelope, 'metrics');
    return asNum(isDict(m) ? pyGet(m, k, 0n) : 0n);
  };
  const breach = pyMax(valid.map((r) => metric(r, 'sandbox_integrity_breach_rate'))) ?? 0n;
  if (pyGt(breach, 0n)) return `Abort ${label} direction — sandbox_integrity_breach_rate > 0.`;
  const dropped = pySum(valid.map((r) => metric(r, 'dropped_action_count')));
  if (pyGt(dropped, 0n)) return 'Run full ladder — compaction signal positive, safety invariants intact.';
  return 'Do not run full ladder — compaction_rate=0, no measurable impact. Consider expand compaction rules.';
}
