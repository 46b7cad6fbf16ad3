/**
 * Starts a real Parley server for a test: ephemeral port, a temporary SQLite file, and
 * test sites with known secrets. `sign()` mints host tokens as a host site would (`aud` = the site).
 *
 * With PARLEY_TEST_DATABASE=postgres (the suite's second run, see test/support/postgres.ts) the
 * server gets a fresh database on the run's throwaway PostgreSQL instead of the SQLite file,
 * unless the test brings its own data folder (tests about the SQLite file itself). A test that
 * restarts a server on the same data passes the first one's `databaseUrl` (and `keepDatabase`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import { createServer, type ParleyServer, type ServerOptions } from '../../server/app.js';
import type { SiteConfig } from '../../server/config.js';
import type { OutboxMessage } from '../../server/store/identity-store.js';
import type { Store } from '../../server/store/store.js';
import { testPostgres } from './postgres.js';

export const TEST_SITES: SiteConfig[] = [
  { id: 'alpha', name: 'Alpha Patients', origins: ['https://alpha.example'], secret: 'alpha-secret-0123456789abcdef0123456789' },
  { id: 'beta', name: 'Beta Carers', origins: ['https://beta.example'], secret: 'beta-secret-0123456789abcdef0123456789ab' },
];

export interface TestServer extends ParleyServer {
  dataDir: string;
  /** The PostgreSQL database this server runs on, or null on SQLite. */
  databaseUrl: string | null;
  sign(site: string, claims: { sub: string; name: string; [k: string]: unknown }, options?: { expiresIn?: number; secret?: string }): Promise<string>;
}

export function testingOnPostgres(): boolean {
  return process.env.PARLEY_TEST_DATABASE === 'postgres';
}

/**
 * The limits every test server runs with: every test client comes from 127.0.0.1 and tests share
 * accounts' budgets, so the caps would bite across tests. A test of one limit spreads these and
 * sets that one low.
 */
export const LIFTED_RATE_LIMITS = {
  postsPerAccountPerMinute: 1000, postsPerIpPerMinute: 100_000, postsPerSitePerMinute: 100_000,
  connectionsPerIp: 10_000, connectionsPerIpPerMinute: 100_000, socketEventsPerSecond: 10_000,
  oidcStartsPerIpPerMinute: 100_000, staffLinksPerIpPerHour: 100_000, sessionsPerAccountPerHour: 100_000,
} satisfies NonNullable<ServerOptions['rateLimits']>;

export async function startTestServer(options: Partial<ServerOptions> & { keepDatabase?: boolean } = {}): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-test-'));
  const sites = options.sites ?? TEST_SITES;
  const { keepDatabase, ...serverOptions } = options;
  const pg = testingOnPostgres() && !options.dataDir ? await testPostgres() : null;
  const created = pg && !options.databaseUrl ? await pg.createDatabase() : null;
  const databaseUrl = options.databaseUrl ?? created;
  const server = await createServer({
    dataDir,
    port: 0,
    host: '127.0.0.1',
    logLevel: 'silent',
    rateLimits: LIFTED_RATE_LIMITS,
    ...serverOptions,
    databaseUrl,
    sites,
  });
  return {
    ...server,
    dataDir,
    databaseUrl: databaseUrl ?? null,
    async sign(site, claims, signOptions = {}) {
      const secret = signOptions.secret ?? sites.find((s) => s.id === site)?.secret;
      if (!secret) throw new Error(`no secret for ${site}`);
      // Minted on the server's clock, as a host whose clock agrees with Parley's would.
      const now = Math.floor((options.now?.() ?? new Date()).getTime() / 1000);
      // `aud` names the site, as every host token must; a test may give another on purpose.
      return new SignJWT({ aud: site, ...claims })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuedAt(now)
        .setExpirationTime(now + (signOptions.expiresIn ?? 600))
        .sign(new TextEncoder().encode(secret));
    },
    async close() {
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (pg && databaseUrl && !keepDatabase) await pg.dropDatabase(databaseUrl);
    },
  };
}

let counter = 0;
/** A fresh idempotency key. */
export function key(): string {
  counter++;
  return `k-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 10)}`;
}

/**
 * The first of a site's outbox mails (in listOutbox's order) that `match` accepts, waited for (about 5 s; then
 * undefined). Some mail is sent without the request waiting for it (a moderation notice, an email
 * sign-in, an invitation): it reaches the outbox just after the answer, not before it.
 */
export async function outboxMail(store: Store, site: string, match: (mail: OutboxMessage) => boolean, limit = 50): Promise<OutboxMessage | undefined> {
  for (let i = 0; i < 200; i++) {
    const mail = (await store.listOutbox(site, limit)).find(match);
    if (mail) return mail;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return undefined;
}
