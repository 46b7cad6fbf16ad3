/**
 * Browser tests against a real Parley: starts the server (ephemeral port, temporary SQLite
 * file, one test site with a known HS256 secret whose allowed origins include the test
 * runner's page), then @web/test-runner with web-test-runner.config.mjs in headless Chromium.
 * Builds dist/parley.js first (one test runs the bundle). Writes `{passed, failed}` to .test-results/browser.json; exits non-zero on any failure.
 *
 *   node bin/run-ts.js test/browser/run.ts
 *   PARLEY_BROWSER_FILES=test/browser/state.test.ts node bin/run-ts.js test/browser/run.ts
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { defaultReporter, startTestRunner, summaryReporter, type Reporter, type TestSuiteResult } from '@web/test-runner';
import { build } from 'vite';
import { createServer } from '../../server/app.js';
import { seedAuditLog } from './audit-seed.js';
import { seedIdentity } from './identity-seed.js';
import { ensureChromium } from '../../scripts/chromium.mjs';

const SITE = 'test';
/** The audit log test's own site: other test files append to SITE's log while it pages through it. */
const AUDIT_SITE = 'test-audit';
/** A site registered without a secret: members sign in by email (issue 12, test/browser/member-sign-in.test.ts). */
const EMAIL_SITE = 'test-email';
/** A site that does not list the test runner's origin (unregistered-origin.test.ts). */
const ELSEWHERE_SITE = 'test-elsewhere';
const SECRET = 'browser-test-secret-0123456789abcdef0123456789';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, 'localhost', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Counts every test of every file; a file that failed to load counts as one failure. */
function countingReporter(counts: { passed: number; failed: number; skipped: number }): Reporter {
  const walk = (suite: TestSuiteResult | undefined): number => {
    if (!suite) return 0;
    let seen = 0;
    for (const test of suite.tests) {
      seen++;
      if (test.skipped) counts.skipped++;
      else if (test.passed) counts.passed++;
      else counts.failed++;
    }
    for (const child of suite.suites) seen += walk(child);
    return seen;
  };
  return {
    onTestRunFinished({ sessions }) {
      for (const session of sessions) {
        const seen = walk(session.testResults);
        // Errors outside any test (a file that fails to load, an uncaught error) fail it too.
        if (session.errors?.length || (seen === 0 && !session.passed)) counts.failed++;
      }
    },
  };
}

async function main(): Promise<number> {
  // Without Chromium every test would fail one by one: say once what to run instead.
  const chromium = ensureChromium();
  if (!chromium.ok) {
    console.error(chromium.message);
    return 1;
  }
  process.env.CHROME_PATH = chromium.path;
  // bundle.test.ts checks the shipped bundle, so build it from the current sources first.
  await build({ logLevel: 'warn' });
  const wtrPort = Number(process.env.PARLEY_WTR_PORT) || (await freePort());
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-browser-'));
  const server = await createServer({
    dataDir,
    dbFile: path.join(dataDir, 'parley.db'),
    port: 0,
    host: '127.0.0.1',
    logLevel: process.env.PARLEY_LOG_LEVEL ?? 'silent',
    sites: [
      {
        id: SITE,
        name: 'Parley Browser Tests',
        origins: [`http://localhost:${wtrPort}`, `http://127.0.0.1:${wtrPort}`],
        secret: SECRET,
      },
      { id: AUDIT_SITE, name: 'Parley Browser Tests (audit log)', origins: [`http://localhost:${wtrPort}`, `http://127.0.0.1:${wtrPort}`], secret: SECRET },
      { id: EMAIL_SITE, name: 'Plain Static Patients', origins: [`http://localhost:${wtrPort}`, `http://127.0.0.1:${wtrPort}`] },
      { id: ELSEWHERE_SITE, name: 'Parley Browser Tests (embedded elsewhere)', origins: ['https://elsewhere.example'] },
    ],
    // Per account low enough for the rate-limit test to reach; every other test uses fresh accounts.
    // Every browser test connects from 127.0.0.1, so the per-IP socket limits (meant for one
    // person's browser) are lifted as in test/support/server.ts; otherwise a fast run trips the
    // handshake rate and the address is blocked for a minute, failing whichever test comes next.
    rateLimits: {
      postsPerAccountPerMinute: 12, postsPerIpPerMinute: 100_000, postsPerSitePerMinute: 100_000,
      connectionsPerIp: 10_000, connectionsPerIpPerMinute: 100_000, socketEventsPerSecond: 10_000,
      // Every browser test signs in from 127.0.0.1.
      oidcStartsPerIpPerMinute: 100_000, staffLinksPerIpPerHour: 100_000, sessionsPerAccountPerHour: 100_000,
    },
  });
  await seedAuditLog(server.ctx.audit, AUDIT_SITE);
  // Moderation tests: two moderators, signed in from the browser with these subs (test/browser/moderation-*.test.ts).
  for (const [sub, name] of [['browser-mod-1', 'Mia Moderator'], ['browser-mod-2', 'Max Moderator']] as const) {
    const user = await server.ctx.store.upsertUserFromHost(SITE, sub, name, null, new Date().toISOString(), server.ctx.newId());
    await server.ctx.store.grantRole(SITE, user.id, 'moderator');
  }
  // An admin for tests that change house rules.
  const admin = await server.ctx.store.upsertUserFromHost(SITE, 'browser-admin', 'Ada Admin', null, new Date().toISOString(), server.ctx.newId());
  await server.ctx.store.grantRole(SITE, admin.id, 'admin');
  await seedIdentity(server.ctx, SITE, SECRET);
  // Test-only: the mail Parley would have sent (the test server has no SMTP), for the staff
  // email sign-in test. Pages ask for it with executeServerCommand('parley-outbox'); nothing
  // is served over HTTP.
  const outboxCommand = {
    name: 'parley-outbox',
    async executeCommand({ command }: { command: string }) {
      if (command !== 'parley-outbox') return undefined;
      const outboxes = await Promise.all([SITE, EMAIL_SITE].map((site) => server.ctx.store.listOutbox(site, 50)));
      return outboxes.flat().map((m) => ({ recipient: m.recipient, subject: m.subject, body: m.body }));
    },
  };
  process.env.PARLEY_BROWSER_TEST = JSON.stringify({ server: server.url, site: SITE, auditSite: AUDIT_SITE, emailSite: EMAIL_SITE, elsewhereSite: ELSEWHERE_SITE, secret: SECRET, port: wtrPort });
  console.log(`Parley test server at ${server.url}; test runner at http://localhost:${wtrPort}`);

  const counts = { passed: 0, failed: 0, skipped: 0 };
  const started = Date.now();
  let passed = false;
  try {
    const runner = await startTestRunner({
      readCliArgs: false,
      autoExitProcess: false,
      config: { reporters: [defaultReporter(), summaryReporter({ flatten: false }), countingReporter(counts)], plugins: [outboxCommand] },
    });
    if (!runner) throw new Error('the test runner did not start');
    passed = await new Promise<boolean>((resolve) => runner.on('stopped', resolve));
  } catch (error) {
    console.error(error);
    counts.failed = Math.max(counts.failed, 1);
  } finally {
    await server.close().catch(() => {});
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  if (!passed && counts.failed === 0) counts.failed = 1;
  fs.mkdirSync('.test-results', { recursive: true });
  const summary = { ...counts, durationMs: Date.now() - started };
  fs.writeFileSync(path.join('.test-results', 'browser.json'), JSON.stringify(summary, null, 2) + '\n');
  console.log(`browser tests: ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`);
  return counts.failed === 0 && passed ? 0 : 1;
}

process.exitCode = await main();
// Chromium, sockets or timers can linger; the summary is written, so leave now.
setTimeout(() => process.exit(process.exitCode), 500).unref();
