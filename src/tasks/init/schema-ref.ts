/** Where the published config schema is referenced from a generated config. */
export const CONFIG_SCHEMA_REL = 'https://raw.githubusercontent.com/runr-dev/runr/main/schemas/runr.config.schema.json';
