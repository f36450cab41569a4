/** The `ops` section of the config: user presets and a default runtime dir (validated on read). */
import * as z from 'zod';
import type { RunrConfig } from '../core/config/config-schema.js';
import type { OpsConfig } from '../core/ops/presets.js';
import { OpsConfigSchema } from '../core/ops/presets.js';
import { parseWithSchema } from '../store/read-json.js';
import { CONFIG_REL } from './read-config.js';

const ConfigWithOps = z.looseObject({ ops: OpsConfigSchema.optional() });

export function loadOpsConfig(project: { config: RunrConfig }): OpsConfig | undefined {
  return parseWithSchema(ConfigWithOps, project.config, CONFIG_REL).ops;
}
