import { defineConfig } from 'vitest/config';

// Unit tests (pure domain) and integration tests (real server, real SQLite, real sockets).
// Browser tests run separately under @web/test-runner in headless Chromium (test/browser/run.ts).
// No test asserts timings: performance targets live in `npm run bench`.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    environment: 'node',
    // Starts one throwaway PostgreSQL for the run when PARLEY_TEST_DATABASE=postgres; otherwise a no-op.
    globalSetup: ['test/support/postgres.ts'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
