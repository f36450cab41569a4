/** The options of `runr gate start|finish|fail`, declared once. */
import { requiredText, text } from '../../option-spec.js';
import type { ParsedOptions } from '../../option-spec.js';
import { runOption } from '../common-options.js';

export const GATE_START = {
  run: runOption(),
  gate: requiredText('--gate <gate>', 'gate id, e.g. G2'),
  agent: text('--agent <name>', 'agent doing the work (default: the workflow’s agent for the gate)'),
};
export type GateStartOptions = ParsedOptions<typeof GATE_START>;

export const GATE_FINISH = { run: runOption(), gate: requiredText('--gate <gate>', 'gate id') };
export type GateFinishOptions = ParsedOptions<typeof GATE_FINISH>;

export const GATE_FAIL = { ...GATE_FINISH, reason: requiredText('--reason <text>', 'why it failed') };
export type GateFailOptions = ParsedOptions<typeof GATE_FAIL>;
