/**
 * The committed JSON Schema equals the one generated from the zod schemas, and it accepts what
 * `runr init` writes (and the operator guide's example) while rejecting what zod rejects.
 * Regenerate with: RUNR_UPDATE_SCHEMA=1 npx vitest run test/tasks/config-schema.test.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { CONFIG_SCHEMA_FILE, configJsonSchema, configJsonSchemaText } from '../../src/config/config-json-schema.js';
import { DEMO_CONFIG } from '../../src/tasks/init/task-demo-files.js';
import { repoRoot } from './helpers.js';

const file = path.join(repoRoot, CONFIG_SCHEMA_FILE);

describe('schemas/runr.config.schema.json', () => {
  it('is the schema generated from the zod config schemas', () => {
    if (process.env.RUNR_UPDATE_SCHEMA === '1') {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, configJsonSchemaText());
    }
    expect(fs.readFileSync(file, 'utf8')).toBe(configJsonSchemaText());
  });

  it('validates real configs and rejects bad ones', () => {
    const validate = new Ajv2020({ strict: false }).compile(configJsonSchema());
    const guide = { agent: { name: 'my-project', version: '1' }, scope: { allowlist: ['src/**', 'tests/**'], presets: ['nextjs', 'vitest', 'typescript'] }, verification: { tier0: ['npm run typecheck'], tier1: ['npm run build'], tier2: ['npm test'] } };
    expect(validate({ $schema: 'x', schema_version: 1, ...guide })).toBe(true);
    expect(validate(DEMO_CONFIG)).toBe(true);
    expect(validate({ ...guide, ops: { presets: {} } })).toBe(true); // other families' sections are allowed
    expect(validate({ scope: { presets: ['rails'] } })).toBe(false);
    expect(validate({ limits: { max_verify_retries: 0 } })).toBe(false);
    expect(validate({ workers: { w: { adapter: 'bash' } } })).toBe(false);
  });
});
