/** The options of `runr invocation record`, declared once. */
import { choice, num, requiredText, text } from '../../option-spec.js';
import type { ParsedOptions } from '../../option-spec.js';
import { runOption } from '../common-options.js';

export const INVOCATION_RECORD = {
  run: runOption(),
  gate: requiredText('--gate <gate>', 'gate id'),
  agent: requiredText('--agent <name>', 'agent name'),
  status: choice('--status <status>', 'invocation status', ['SUCCESS', 'FAIL'], 'SUCCESS'),
  model: text('--model <model>', 'model used', { default: 'unknown' }),
  durationMs: num('--duration-ms <ms>', 'duration in milliseconds (default 0)', { integer: true, min: 0 }),
};
export type InvocationRecordOptions = ParsedOptions<typeof INVOCATION_RECORD>;
