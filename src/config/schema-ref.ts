/**
 * How a generated config points at the published schema: relative to `.runr/runr.config.json`, the
 * copy in the project's node_modules (the npm package ships `schemas/`). Editors resolve it there;
 * runr itself ignores `$schema`.
 */
export const CONFIG_SCHEMA_REL = '../node_modules/runr/schemas/runr.config.schema.json';
