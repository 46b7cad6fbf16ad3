import { defineConfig } from 'vitest/config';

// Unit tests (pure domain) and integration tests (real server, real SQLite, real sockets).
// Browser tests run separately under @web/test-runner in headless Chromium (test/browser/run.ts).
// The flood test compares delivery latencies, so `npm test` runs it on its own after the
// rest (PARLEY_ISOLATED=1), not beside other test files competing for the same two cores.
const isolated = ['test/integration/flood.test.ts'];

export default defineConfig({
  test: {
    include: process.env.PARLEY_ISOLATED ? isolated : ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    exclude: process.env.PARLEY_ISOLATED ? [] : [...isolated, '**/node_modules/**'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
