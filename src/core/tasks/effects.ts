/**
 * What the engine asks the shell to do next. Each work effect is performed by one phase handler in
 * src/tasks/phases/ and answered by exactly one journal event; `finish` ends the session.
 */
import type { StopReason } from './stop-reasons.js';

export type Effect =
  | { type: 'plan' }
  | { type: 'implement'; milestone_index: number; attempt: number }
  /** `guard_first`: re-check the scope before verifying (resume keeps and re-verifies a dirty worktree). */
  | { type: 'verify'; milestone_index: number; guard_first: boolean }
  | { type: 'review'; milestone_index: number; round: number }
  | { type: 'checkpoint'; milestone_index: number }
  | { type: 'finish'; reason: StopReason };

export type EffectType = Effect['type'];
export type WorkEffect = Exclude<Effect, { type: 'finish' }>;
