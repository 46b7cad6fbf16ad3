/**
 * Company staff's sign-in links (`POST /staff/email-link`) are open to anyone with an address at
 * a registered company domain, and each request stores a link and sends a mail. Each address
 * has its own limit; any number of addresses at the domain pass it, so requests are also limited
 * per client address (`rateLimits.staffLinksPerIpPerHour`, security review): 429 rate_limited
 * with Retry-After, nothing stored, no mail. Links are deleted a day after they expired.
 * Addresses come from X-Forwarded-For through a trusted loopback proxy, as behind nginx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http } from '../support/clients.js';
import { setUpIdentity, type Fixture } from '../support/identity-fixtures.js';
import { LIFTED_RATE_LIMITS, startTestServer, type TestServer } from '../support/server.js';

const PER_HOUR = 2;
let server: TestServer;
let fx: Fixture;
/** The server's clock, moved by the purge test. */
let clock = Date.now();
let n = 0;

beforeAll(async () => {
  server = await startTestServer({
    now: () => new Date(clock),
    trustProxy: 'loopback',
    rateLimits: {
      ...LIFTED_RATE_LIMITS,
      staffLinksPerIpPerHour: PER_HOUR,
    },
  });
  fx = await setUpIdentity(server);
});
afterAll(async () => {
  await server.close();
});

function ask(from: string, email = `employee.${++n}@acme.example`) {
  return http(`${fx.api}/staff/email-link`, {
    body: { email, name: 'Erin Employee', jobTitle: 'Medical Advisor', returnUrl: 'https://alpha.example/forum' },
    headers: { 'x-forwarded-for': from },
  });
}

async function storedLinks(): Promise<number> {
  return (await server.store.database!.get<{ n: number }>('SELECT count(*) AS n FROM email_links WHERE site = ?', ['alpha']))!.n;
}

describe('staff sign-in links, per client address', () => {
  it('one address may ask for the configured links an hour (each for another work address), then 429 and nothing stored', async () => {
    const before = await storedLinks();
    for (let i = 0; i < PER_HOUR; i++) expect((await ask('198.51.100.1')).status).toBe(202);
    const refused = await ask('198.51.100.1');
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(refused.body.error.message).toMatch(/from your network/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await storedLinks()).toBe(before + PER_HOUR);

    // Another client is not held back by the first.
    expect((await ask('198.51.100.2')).status).toBe(202);
  });

  it('an address outside the company register is refused as before, without counting', async () => {
    for (let i = 0; i < PER_HOUR + 1; i++) {
      expect((await ask('198.51.100.3', `someone.${i}@unknown.example`)).status).toBe(400);
    }
    expect((await ask('198.51.100.3')).status).toBe(202);
  });

  it('links are deleted a day after they expired, by the next request', async () => {
    expect(await storedLinks()).toBeGreaterThan(0);
    clock += 25 * 3_600_000 + 30 * 60_000;
    expect((await ask('198.51.100.4')).status).toBe(202);
    expect(await storedLinks()).toBe(1);
  });
});
