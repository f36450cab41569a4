import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The fault test (100 runs on 3 simulated hosts, ~2–5 minutes of the whole machine) is part of
 * `npm test`, but runs on its own after the suite with vitest.faults.config.ts, never beside the rest
 * of it: sharing 2 cores with every other test file would make its bounds meaningless.
 */
export const FAULT_TESTS = ['test/queue/faults.e2e.test.ts'];
/** The full chaos run (1,000 runs, 10 hosts, tens of minutes): only scripts/queue-chaos.sh runs it. */
export const CHAOS_TESTS = ['test/queue/chaos.e2e.test.ts'];

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, ...FAULT_TESTS, ...CHAOS_TESTS],
    globalSetup: ['test/setup/temp-root.ts'],
    // Bounds, not timing assertions: e2e tests spawn the CLI, git and workers many times, and CI is a
    // loaded 2-core machine. A test that hangs still fails, only later.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
