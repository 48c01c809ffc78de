import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests, and integration tests that share one real
// Temporal dev server started once per run by the global setup.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          // One worker process: the tests share one dev server and two cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
