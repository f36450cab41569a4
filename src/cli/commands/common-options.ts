/** Option specs several command groups share (see ../option-spec.ts). */
import { choice, requiredText } from '../option-spec.js';

export const DEPTHS = ['quick', 'standard', 'deep'] as const;
export const depthOption = () => choice('--depth <depth>', 'research depth', DEPTHS, 'standard');
export const runOption = () => requiredText('--run <id>', 'run id, unique prefix, or latest');
