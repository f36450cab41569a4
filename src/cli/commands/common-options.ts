/** Option specs several command groups share (see ../option-spec.ts). */
import { Option } from 'commander';
import { choice, requiredText } from '../option-spec.js';

export const DEPTHS = ['quick', 'standard', 'deep'] as const;
export const depthOption = () => choice('--depth <depth>', 'research depth', DEPTHS, 'standard');
export const runOption = () => requiredText('--run <id>', 'run id, unique prefix, or latest');

/**
 * Legacy: a command that still declares its own `--runs-dir` (not yet on the option table). The
 * program's global `--runs-dir` takes the value wherever it is typed; program.ts copies it into
 * such a command's options before its action runs.
 */
export const runsDirOption = () => new Option('--runs-dir <dir>', 'runs directory (default from config: .runr/runs)').hideHelp();
