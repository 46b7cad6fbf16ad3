import { defineConfig } from 'vitest/config';

// Unit tests (pure domain) and integration tests (real server, real SQLite, real sockets).
// Browser tests run separately under @web/test-runner in headless Chromium (test/browser/run.ts).
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
