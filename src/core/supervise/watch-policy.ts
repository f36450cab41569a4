/**
 * What `runr watch` does when the run it follows stops (pure). Resumability comes from the one
 * stop-reason registry (`autoResume`): transient stops are resumed after a cooldown, at most
 * `maxAttempts` times; anything else (guard and scope violations, review loops, …) is surfaced.
 */
import type { StopReason } from '../tasks/stop-reasons.js';
import { STOP_REASONS } from '../tasks/stop-reasons.js';
import type { RunView } from './run-view.js';

export type WatchDecision =
  | { kind: 'keep_watching' }
  | { kind: 'succeeded' }
  /** Resume (attempt n, 1-based) after the cooldown. */
  | { kind: 'resume'; attempt: number }
  /** An auto-resumable stop, but every attempt is used. */
  | { kind: 'gave_up'; stop_reason: StopReason }
  /** A stop watch never resumes (or `--auto-resume` is off): hand it to a person. */
  | { kind: 'surfaced'; stop_reason: StopReason | null };

export function decideWatch(v: RunView, o: { autoResume: boolean; attemptsUsed: number; maxAttempts: number }): WatchDecision {
  if (!v.terminal) return { kind: 'keep_watching' };
  if (v.complete) return { kind: 'succeeded' };
  const reason = v.stop_reason;
  if (reason === null || !STOP_REASONS[reason].autoResume || !o.autoResume) return { kind: 'surfaced', stop_reason: reason };
  if (o.attemptsUsed >= o.maxAttempts) return { kind: 'gave_up', stop_reason: reason };
  return { kind: 'resume', attempt: o.attemptsUsed + 1 };
}
