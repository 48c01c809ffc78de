import { defineConfig } from 'vitest/config';

// Four projects: fast unit tests, integration tests that share one real
// Temporal dev server started once per run by the global setup, the
// seasons' backtests (their own command: they take minutes), and the cluster
// test (its own command: PostgreSQL and a real Temporal server of its own).
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
      {
        test: {
          // `npm run test:seasons`: backtests over the simulated seasons, ~15 minutes; .ci/run runs them too.
          name: 'seasons',
          include: ['test/seasons/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 900_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          // `npm run test:cluster`: PostgreSQL, the Temporal server set up by deploy/temporal/, three worker processes.
          name: 'cluster',
          include: ['test/cluster/**/*.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
