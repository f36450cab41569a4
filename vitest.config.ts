import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/temp-root.ts'],
    // Bounds, not timing assertions: e2e tests spawn the CLI, git and workers many times, and CI is a
    // loaded 2-core machine. A test that hangs still fails, only later.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
