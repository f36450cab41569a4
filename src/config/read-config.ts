/**
 * Reading `.runr/runr.config.json`: the file is read and its store section validated once, when
 * the project opens (store/project.ts); each family's section is validated when that family reads
 * it (task-section.ts, ops-section.ts). All sections are declared in one schema,
 * core/config/config-file-schema.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RunrConfig } from '../core/config/config-schema.js';
import { ConfigSchema } from '../core/config/config-schema.js';
import { readJsonFile } from '../store/read-json.js';

export const CONFIG_REL = '.runr/runr.config.json';

export interface ConfigFile {
  file: string;
  exists: boolean;
  config: RunrConfig;
}

export function readConfigFile(root: string): ConfigFile {
  const file = path.join(root, CONFIG_REL);
  const exists = fs.existsSync(file);
  return { file, exists, config: exists ? readJsonFile(file, ConfigSchema, CONFIG_REL) : {} };
}
