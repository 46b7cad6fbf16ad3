#!/usr/bin/env node
// `npm test`: every suite — unit and integration (Vitest), then browser (web-test-runner in
// headless Chromium), then the npm package installed in an empty folder — even when an earlier
// one fails, then one line with the real totals. Without Chromium it installs it when it may,
// or stops before running anything, with one line saying what to run (scripts/chromium.mjs).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureChromium } from './chromium.mjs';

const chromium = ensureChromium();
if (!chromium.ok) {
  console.error(chromium.message);
  process.exit(1);
}
process.env.CHROME_PATH = chromium.path;

const results = path.resolve('.test-results');
fs.rmSync(results, { recursive: true, force: true });
fs.mkdirSync(results, { recursive: true });

function readVitest(file) {
  const json = JSON.parse(fs.readFileSync(path.join(results, file), 'utf8'));
  // Files that failed to load count as failures even though no test in them ran.
  const brokenFiles = (json.testResults ?? []).filter((f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0).length;
  return { passed: json.numPassedTests, failed: json.numFailedTests + brokenFiles };
}

/**
 * Integration files that run once, in the first suite: those about SQLite itself, and those that
 * are on PostgreSQL whatever the suite (they start their own: postgres-database, multi-node).
 */
const SQLITE_ONLY = [
  'test/integration/backup.test.ts',
  'test/integration/migrations.test.ts',
  'test/integration/durability.test.ts',
  'test/integration/cli-admin.test.ts',
  'test/integration/postgres-database.test.ts',
  'test/integration/multi-node.test.ts',
  'test/integration/commit-cursor.test.ts',
];

const suites = [
  {
    name: 'unit + integration',
    command: ['npx', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${path.join(results, 'vitest.json')}`],
    read: () => readVitest('vitest.json'),
  },
  {
    // The same integration suite again, every test server on a fresh database of a throwaway
    // PostgreSQL cluster (test/support/postgres.ts). Files about the SQLite file itself (backup,
    // migrations, durability, the CLI's data folder) and the database seam's own tests ran above.
    name: 'integration on PostgreSQL',
    command: ['npx', 'vitest', 'run', 'test/integration', ...SQLITE_ONLY.flatMap((f) => ['--exclude', f]),
      '--reporter=default', '--reporter=json', `--outputFile.json=${path.join(results, 'vitest-postgres.json')}`],
    env: { PARLEY_TEST_DATABASE: 'postgres' },
    read: () => readVitest('vitest-postgres.json'),
  },
  {
    name: 'browser',
    command: ['node', 'bin/run-ts.js', 'test/browser/run.ts'],
    read: () => JSON.parse(fs.readFileSync(path.join(results, 'browser.json'), 'utf8')),
  },
  {
    name: 'package',
    command: ['node', 'scripts/check-package.mjs', '--json', path.join(results, 'package.json')],
    read: () => JSON.parse(fs.readFileSync(path.join(results, 'package.json'), 'utf8')),
  },
];

let passed = 0;
let failed = 0;
let ok = true;
for (const suite of suites) {
  console.log(`\n=== ${suite.name}: ${suite.command.join(' ')}\n`);
  const run = spawnSync(suite.command[0], suite.command.slice(1), { stdio: 'inherit', env: { ...process.env, ...suite.env } });
  let counts;
  try {
    counts = suite.read();
  } catch {
    counts = null;
  }
  if (!counts) {
    console.error(`\n${suite.name}: the runner produced no results (exit ${run.status}); counting it as one failure.`);
    failed += 1;
    ok = false;
    continue;
  }
  passed += counts.passed;
  failed += counts.failed;
  if (run.status !== 0 || counts.failed > 0) ok = false;
  console.log(`\n${suite.name}: ${counts.passed} passed, ${counts.failed} failed`);
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(ok && failed === 0 ? 0 : 1);
