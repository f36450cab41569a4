/** The options of `runr init`, `doctor`, `audit` and `demo`, declared once. */
import { flag, text } from '../../option-spec.js';
import type { ParsedOptions } from '../../option-spec.js';

export const INIT = {
  print: flag('--print', 'print what would be written, write nothing'),
  force: flag('--force', 'overwrite an existing config'),
  demo: flag('--demo', 'create a self-contained task-run demo repository (scripted worker, three tasks)'),
  dir: text('--dir <dir>', 'with --demo: where to create it (default: a new temp directory)'),
  interactive: flag('--interactive', 'setup wizard (not available yet)'),
};
export type InitOptions = ParsedOptions<typeof INIT>;

export const DOCTOR = {};
export type DoctorOptions = ParsedOptions<typeof DOCTOR>;

export const AUDIT = {};
export type AuditOptions = ParsedOptions<typeof AUDIT>;

export const DEMO = {
  dir: text('--dir <dir>', 'where to build the demo repository (default: a new temp directory)'),
  studies: flag('--studies', 'show only the studies part (study, seed batches, a sweep, --why reruns, report, promotion)'),
};
export type DemoOptions = ParsedOptions<typeof DEMO>;
