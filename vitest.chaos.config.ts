import { configDefaults, defineConfig } from 'vitest/config';
import base, { CHAOS_TESTS } from './vitest.config.js';

/** The full chaos run alone (tens of minutes; see vitest.config.ts): scripts/queue-chaos.sh runs it. */
export default defineConfig({
  test: {
    ...base.test,
    include: CHAOS_TESTS,
    exclude: [...configDefaults.exclude],
    hookTimeout: 900_000,
  },
});
