/**
 * Reading `.runr/runr.config.json`: the file is read and its store section validated once, when
 * the project opens (store/project.ts); each family's section is validated when that family reads
 * it (task-section.ts, ops-section.ts). All sections are declared in one schema,
 * core/config/config-file-schema.ts.
 */
import path from 'node:path';
import type { RunrConfig } from '../core/config/config-schema.js';
import { ConfigSchema } from '../core/config/config-schema.js';
import { ValidationError } from '../core/errors.js';
import { firstNulString } from '../core/nul-strings.js';
import { parseJsonText, parseWithSchema, readTextFile } from '../store/read-json.js';
import { pathPresent } from '../store/strict-read.js';

export const CONFIG_REL = '.runr/runr.config.json';

export interface ConfigFile {
  file: string;
  exists: boolean;
  config: RunrConfig;
}

export function readConfigFile(root: string): ConfigFile {
  const file = path.join(root, CONFIG_REL);
  const exists = pathPresent(file);
  if (!exists) return { file, exists, config: {} };
  const raw = parseJsonText(readTextFile(file, CONFIG_REL), CONFIG_REL);
  const nul = firstNulString(raw);
  if (nul !== null) throw new ValidationError(CONFIG_REL, nul.field, `contains a NUL character (at offset ${nul.offset})`);
  return { file, exists, config: parseWithSchema(ConfigSchema, raw, CONFIG_REL) };
}
