/** Options several command groups share. */
import { Option } from 'commander';

export const depthOption = () => new Option('--depth <depth>', 'research depth').choices(['quick', 'standard', 'deep']).default('standard');
export const runsDirOption = () => new Option('--runs-dir <dir>', 'runs directory (default from config: .runr/runs)');
