/** The options of `runr wait`, `follow` and `watch`, declared once (see ../../option-spec.ts). */
import { choice, flag, num, numWithDefault, requiredText } from '../../option-spec.js';
import type { ParsedOptions } from '../../option-spec.js';
import { QUEUE_LOOKUP } from '../queue/queue-options.js';

export const WAIT = {
  for: requiredText('--for <condition>', 'terminal | complete | stop | phase:<PHASE> | milestone:<n> | gate:<G>'),
  timeout: num('--timeout <seconds>', 'give up after this long (exit 124)', { min: 0 }),
  ...QUEUE_LOOKUP,
};
export type WaitOptions = ParsedOptions<typeof WAIT>;

export const FOLLOW = {
  since: choice('--since <when>', 'start: from the beginning of the journal; now: new events only', ['start', 'now'] as const, 'start'),
  ...QUEUE_LOOKUP,
};
export type FollowOptions = ParsedOptions<typeof FOLLOW>;

export const WATCH = {
  autoResume: flag('--auto-resume', 'resume on the resumable stop reasons of the stop-reason registry'),
  maxAttempts: numWithDefault('--max-attempts <N>', 'auto-resume at most N times', 3, { integer: true, min: 0 }),
  cooldown: numWithDefault('--cooldown <seconds>', 'wait this long before each resume', 10, { min: 0 }),
  ...QUEUE_LOOKUP,
};
export type WatchOptions = ParsedOptions<typeof WATCH>;
