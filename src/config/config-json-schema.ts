/**
 * The published JSON Schema of `.runr/runr.config.json` (`schemas/runr.config.schema.json`),
 * generated from the one zod schema (core/config/config-file-schema.ts) so the two cannot drift. Other
 * top-level keys stay allowed (other families' sections, newer versions). test/tasks/config-schema.test.ts checks the committed file.
 */
import * as z from 'zod';
import { RunrConfigFileSchema } from '../core/config/config-file-schema.js';

export const CONFIG_SCHEMA_FILE = 'schemas/runr.config.schema.json';

export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(RunrConfigFileSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  return { $id: 'urn:runr:schema:config', title: 'runr config', ...schema };
}

export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
