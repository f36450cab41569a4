import { configDefaults, defineConfig } from 'vitest/config';
import base, { FAULT_TESTS } from './vitest.config.js';

/** The fault test alone (see vitest.config.ts): `npx vitest run --config vitest.faults.config.ts`. */
export default defineConfig({
  test: {
    ...base.test,
    include: FAULT_TESTS,
    exclude: [...configDefaults.exclude],
    // Its servers and namespaces start inside the test; the test's own bound is what counts.
    hookTimeout: 600_000,
  },
});
