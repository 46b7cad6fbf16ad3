/**
 * Starting an OpenID Connect sign-in is open to anyone and keeps a pending flow (state hash,
 * nonce, PKCE verifier) for ten minutes, so starts are limited per client address
 * (`rateLimits.oidcStartsPerIpPerMinute`, security review): over it, `429 rate_limited` with
 * Retry-After and nothing stored; other addresses and the full sign-in are unaffected. Against
 * the real test provider (oidc-provider on loopback); addresses come from X-Forwarded-For
 * through a trusted loopback proxy, as behind nginx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http } from '../support/clients.js';
import { setUpIdentity, type Fixture } from '../support/identity-fixtures.js';
import { Browser, startTestProvider, type TestProvider } from '../support/oidc-provider.js';
import { LIFTED_RATE_LIMITS, startTestServer, type TestServer } from '../support/server.js';

const RETURN = 'https://alpha.example/forum/topic-1';
const PER_MINUTE = 3;
let server: TestServer;
let provider: TestProvider;
let fx: Fixture;
/** The server's clock, moved by the tests (flows expire by it). */
let clock = Date.now();

beforeAll(async () => {
  server = await startTestServer({
    now: () => new Date(clock),
    trustProxy: 'loopback',
    rateLimits: {
      ...LIFTED_RATE_LIMITS,
      oidcStartsPerIpPerMinute: PER_MINUTE,
    },
  });
  fx = await setUpIdentity(server);
  provider = await startTestProvider({ redirectUris: [`${server.url}/api/sites/alpha/sign-in/oidc/callback`] });
  const set = await http(`${fx.api}/admin/oidc`, {
    method: 'PUT', token: fx.adminToken,
    body: { issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret, name: 'Alpha ID', scopes: ['profile'] },
  });
  if (set.status !== 201) throw new Error(`provider setup failed: ${JSON.stringify(set.body)}`);
});
afterAll(async () => {
  await provider?.close();
  await server?.close();
});

const startUrl = (returnUrl = RETURN) => `${fx.api}/sign-in/oidc/start?returnUrl=${encodeURIComponent(returnUrl)}`;

async function start(from: string, returnUrl = RETURN) {
  const response = await fetch(startUrl(returnUrl), { redirect: 'manual', headers: { 'x-forwarded-for': from } });
  const text = await response.text();
  return { status: response.status, location: response.headers.get('location'), retryAfter: response.headers.get('retry-after'), body: response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null };
}

async function pendingFlows(): Promise<number> {
  return (await server.store.database!.get<{ n: number }>('SELECT count(*) AS n FROM oidc_flows WHERE site = ?', ['alpha']))!.n;
}

describe('starting an OpenID Connect sign-in, per client address', () => {
  it('allows the configured starts a minute from one address, then answers 429 with Retry-After and stores nothing', async () => {
    const before = await pendingFlows();
    for (let i = 0; i < PER_MINUTE; i++) {
      const started = await start('203.0.113.7');
      expect(started.status).toBe(302);
      expect(started.location!.startsWith(provider.issuer)).toBe(true);
    }
    expect(await pendingFlows()).toBe(before + PER_MINUTE);

    const refused = await start('203.0.113.7');
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(refused.body.error.message).toMatch(/Too many sign-ins were started from your network/);
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60);
    expect(await pendingFlows()).toBe(before + PER_MINUTE);
  });

  it('another address still starts, and completes a full sign-in with the provider', async () => {
    expect((await start('203.0.113.8')).status).toBe(302);
    provider.loginAs({ sub: 'limited-user', claims: { name: 'Lia Limited' } });
    // The Browser comes from 127.0.0.1 (a trusted proxy with no X-Forwarded-For: itself).
    const landed = await new Browser().follow(startUrl(), (url) => url.startsWith('https://alpha.example/'));
    const ticket = new URLSearchParams(new URL(landed).hash.slice(1)).get('parley-oidc');
    expect(ticket).toEqual(expect.any(String));
    const session = await http(`${fx.api}/sign-in/oidc/complete`, { body: { ticket }, origin: 'https://alpha.example' });
    expect(session.status).toBe(200);
    expect(session.body.viewer.name).toBe('Lia Limited');
  });

  it('a refused request (a return URL off the site) neither counts nor stores', async () => {
    const before = await pendingFlows();
    for (let i = 0; i < PER_MINUTE + 2; i++) {
      expect((await start('203.0.113.9', 'https://evil.example/')).status).toBe(403);
    }
    expect(await pendingFlows()).toBe(before);
    expect((await start('203.0.113.9')).status).toBe(302);
  });

  it('pending flows expire after ten minutes and are pruned by the next start', async () => {
    expect(await pendingFlows()).toBeGreaterThan(0);
    clock += 11 * 60_000;
    expect((await start('203.0.113.10')).status).toBe(302);
    expect(await pendingFlows()).toBe(1);
  });
});
