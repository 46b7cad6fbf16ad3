/**
 * OpenID Connect sign-in (issue 12) against a real provider: oidc-provider 9 on loopback,
 * driven by a cookie-keeping fetch "browser". Covers the full login, the provider's and an
 * attacker's ways to break it (state, nonce, issuer, audience, foreign keys, replays), the
 * return URL, staff vouching, the admin settings and the limits on every input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http_ from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createServer } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { http } from '../support/clients.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { setUpIdentity, type Fixture } from '../support/identity-fixtures.js';
import { Browser, STAFF_CLAIM, startTestProvider, type TestProvider } from '../support/oidc-provider.js';

const RETURN = 'https://alpha.example/forum/topic-1';
let server: TestServer;
let provider: TestProvider;
let fx: Fixture;

function settings(extra: Record<string, unknown> = {}) {
  return { issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret, name: 'Alpha ID', scopes: ['profile', 'email', 'staff'], staffClaim: STAFF_CLAIM, ...extra };
}

beforeAll(async () => {
  server = await startTestServer();
  fx = await setUpIdentity(server);
  provider = await startTestProvider({ redirectUris: [`${server.url}/api/sites/alpha/sign-in/oidc/callback`] });
  const set = await http(`${fx.api}/admin/oidc`, { method: 'PUT', token: fx.adminToken, body: settings() });
  if (set.status !== 201) throw new Error(`provider setup failed: ${JSON.stringify(set.body)}`);
});
afterAll(async () => {
  await provider?.close();
  await server?.close();
});

const startUrl = (returnUrl = RETURN, site = 'alpha') =>
  `${server.url}/api/sites/${site}/sign-in/oidc/start?returnUrl=${encodeURIComponent(returnUrl)}`;
const backHome = (url: string) => url.startsWith('https://alpha.example/');
const fragment = (url: string) => Object.fromEntries(new URLSearchParams(new URL(url).hash.slice(1)));

/** Start → provider → login → callback: the URL the browser lands on at the end. */
async function signInAt(returnUrl = RETURN): Promise<string> {
  return new Browser().follow(startUrl(returnUrl), backHome);
}

async function complete(ticket: string, site = 'alpha') {
  return http(`${server.url}/api/sites/${site}/sign-in/oidc/complete`, { body: { ticket }, origin: 'https://alpha.example' });
}

/** Follows the flow up to the provider's redirect to our callback, without following it. */
async function callbackUrlFor(browser = new Browser(), rewriteAuthUrl?: (url: URL) => void): Promise<string> {
  const started = await browser.get(startUrl());
  expect(started.status).toBe(302);
  const authUrl = new URL(started.location!);
  rewriteAuthUrl?.(authUrl);
  return browser.follow(authUrl.href, (url) => url.startsWith(`${server.url}/api/sites/alpha/sign-in/oidc/callback`));
}

describe('a full sign-in with the site’s OpenID provider', () => {
  it('start → provider login → callback → ticket → complete gives a session for an oidc: member', async () => {
    provider.loginAs({ sub: 'user-1', claims: { name: 'Olivia Open', email: 'olivia@alpha.example', email_verified: true } });
    const landed = await signInAt();
    expect(landed.startsWith(`${RETURN}#parley-oidc=`)).toBe(true);
    const { 'parley-oidc': ticket } = fragment(landed);
    const session = await complete(ticket!);
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({ expiresIn: 900, viewer: { name: 'Olivia Open', kind: 'member', email: 'olivia@alpha.example' } });
    expect(session.body.refreshToken).toEqual(expect.any(String));
    const user = (await server.store.getUser('alpha', session.body.viewer.id))!;
    expect(user.sub).toMatch(/^oidc:[A-Za-z0-9_-]{12}:user-1$/);

    // The session works like any other: /me and refresh.
    const me = await http(`${fx.api}/me`, { token: session.body.accessToken });
    expect(me.body.viewer.id).toBe(user.id);
    const refreshed = await http(`${fx.api}/session/refresh`, { body: { refreshToken: session.body.refreshToken } });
    expect(refreshed.status).toBe(200);

    // Signing in again is the same member.
    const again = await complete(fragment(await signInAt())['parley-oidc']!);
    expect(again.body.viewer.id).toBe(user.id);
  });

  it('an unverified email is not taken; the name falls back to other claims', async () => {
    provider.loginAs({ sub: 'user-2', claims: { given_name: 'Uma', family_name: 'Unverified', email: 'uma@elsewhere.example', email_verified: false } });
    const session = await complete(fragment(await signInAt())['parley-oidc']!);
    expect(session.body.viewer).toMatchObject({ name: 'Uma Unverified', email: null });
  });

  it('the site offers oidc with the provider’s name; a site without it does not', async () => {
    const alpha = await http(`${server.url}/api/sites/alpha`);
    expect(alpha.body.signIn.methods).toContain('oidc');
    expect(alpha.body.signIn.oidcName).toBe('Alpha ID');
    const beta = await http(`${server.url}/api/sites/beta`);
    expect(beta.body.signIn.methods).not.toContain('oidc');
    expect(beta.body.signIn.oidcName).toBeUndefined();
  });

  it('discovery is cached: several sign-ins fetch the provider’s configuration once', async () => {
    provider.loginAs({ sub: 'user-1', claims: { name: 'Olivia Open' } });
    const before = provider.requests.filter((p) => p === '/.well-known/openid-configuration').length;
    await signInAt();
    await signInAt();
    expect(provider.requests.filter((p) => p === '/.well-known/openid-configuration').length).toBe(before);
    expect(before).toBe(1);
  });
});

describe('notifications: the provider’s email_verified is proof of the address', () => {
  const outboxTo = async (email: string) => (await server.store.listOutbox('alpha', 500)).filter((m) => m.recipient === email);

  it('an address the provider verified needs no confirmation mail before messages', async () => {
    provider.loginAs({ sub: 'notify-verified', claims: { name: 'Vera Verified', email: 'vera@alpha.example', email_verified: true } });
    const session = await complete(fragment(await signInAt())['parley-oidc']!);
    expect(session.status).toBe(200);
    const put = await http(`${fx.api}/me/notifications`, { method: 'PUT', token: session.body.accessToken, body: { replies: true } });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.address).toMatchObject({ email: 'vera@alpha.example', state: 'confirmed' });
    // No confirmation was decided (recorded in the same transaction as the choice) or sent.
    expect((await server.store.exportNotifications('alpha', session.body.viewer.id)).events).toEqual([]);
    expect(await outboxTo('vera@alpha.example')).toEqual([]);

    // The next sign-in's token no longer says the address is verified: it is not kept.
    provider.loginAs({ sub: 'notify-verified', claims: { name: 'Vera Verified', email: 'vera@alpha.example' } });
    const again = await complete(fragment(await signInAt())['parley-oidc']!);
    expect(again.body.viewer.id).toBe(session.body.viewer.id);
    const now = await http(`${fx.api}/me/notifications`, { token: again.body.accessToken });
    expect(now.body.address).toMatchObject({ email: null, state: 'none' });
  });

  it.each([
    ['false', { email_verified: false }],
    ['missing', {}],
  ])('email_verified %s: the address is not taken, so nothing is sent to it', async (_, verified) => {
    const email = `unproven-${Object.keys(verified).length}@elsewhere.example`;
    provider.loginAs({ sub: `notify-unproven-${Object.keys(verified).length}`, claims: { name: 'Una Unproven', email, ...verified } });
    const session = await complete(fragment(await signInAt())['parley-oidc']!);
    const put = await http(`${fx.api}/me/notifications`, { method: 'PUT', token: session.body.accessToken, body: { replies: true } });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.address).toMatchObject({ email: null, state: 'none' });
    expect(await outboxTo(email)).toEqual([]);
  });
});

describe('what the callback refuses', () => {
  it('a replayed ticket: the second complete is refused', async () => {
    provider.loginAs({ sub: 'user-1', claims: { name: 'Olivia Open' } });
    const ticket = fragment(await signInAt())['parley-oidc']!;
    expect((await complete(ticket)).status).toBe(200);
    const replay = await complete(ticket);
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('token_invalid');
  });

  it('a ticket is for its own site only', async () => {
    provider.loginAs({ sub: 'user-1', claims: { name: 'Olivia Open' } });
    const ticket = fragment(await signInAt())['parley-oidc']!;
    const elsewhere = await http(`${server.url}/api/sites/beta/sign-in/oidc/complete`, { body: { ticket } });
    expect(elsewhere.status).toBe(401);
    expect((await complete(ticket)).status).toBe(200);
  });

  it('a replayed callback (same state and code) is refused: the flow is single use', async () => {
    provider.loginAs({ sub: 'user-1', claims: { name: 'Olivia Open' } });
    const browser = new Browser();
    const callback = await callbackUrlFor(browser);
    const first = await browser.get(callback);
    expect(fragment(first.location!)['parley-oidc']).toBeTruthy();
    const second = await browser.get(callback);
    expect(second.status).toBe(400);
    expect(JSON.parse(second.body).error.code).toBe('bad_request');
  });

  it('a tampered or missing state is refused before anything else happens', async () => {
    provider.loginAs({ sub: 'user-1', claims: { name: 'Olivia Open' } });
    const browser = new Browser();
    const callback = new URL(await callbackUrlFor(browser));
    const tampered = new URL(callback);
    tampered.searchParams.set('state', `${callback.searchParams.get('state')}x`);
    expect((await browser.get(tampered.href)).status).toBe(400);
    const missing = new URL(callback);
    missing.searchParams.delete('state');
    expect((await browser.get(missing.href)).status).toBe(400);
    // The genuine answer still works: the wrong ones did not consume the flow.
    expect(fragment((await browser.get(callback.href)).location!)['parley-oidc']).toBeTruthy();
  });

  it('a wrong nonce (the authorization request was altered on the way) ends in token_invalid', async () => {
    provider.loginAs({ sub: 'user-1', claims: { name: 'Olivia Open' } });
    const browser = new Browser();
    const callback = await callbackUrlFor(browser, (url) => url.searchParams.set('nonce', 'an-attackers-nonce'));
    const landed = await browser.get(callback);
    expect(landed.location).toBe(`${RETURN}#parley-oidc-error=token_invalid`);
  });

  it.each([
    ['another issuer', (c: Record<string, unknown>) => ({ ...c, iss: 'https://evil.example' }), 'provider'],
    ['another audience', (c: Record<string, unknown>) => ({ ...c, aud: 'someone-else' }), 'provider'],
    ['another nonce', (c: Record<string, unknown>) => ({ ...c, nonce: 'replayed-from-elsewhere' }), 'provider'],
    ['an expired token', (c: Record<string, unknown>) => ({ ...c, exp: Math.floor(Date.now() / 1000) - 3600 }), 'provider'],
    ['a key that is not the provider’s', (c: Record<string, unknown>) => c, 'foreign'],
  ] as const)('an ID token from %s is refused', async (_what, edit, key) => {
    provider.loginAs({ sub: 'victim', claims: { name: 'Victor Victim' } });
    provider.tamperNextIdToken(edit, key);
    const landed = await signInAt();
    expect(landed).toBe(`${RETURN}#parley-oidc-error=token_invalid`);
    expect(await server.store.findUsers('alpha', 'Victor', 10)).toHaveLength(0);
  });

  it('a sign-in cancelled at the provider comes back as access_denied', async () => {
    provider.loginAs({ sub: 'user-1', claims: { name: 'Olivia Open' } });
    provider.refuseNextLogin();
    expect(await signInAt()).toBe(`${RETURN}#parley-oidc-error=access_denied`);
  });
});

describe('a ticket bound to the page that started the sign-in', () => {
  const verifier = 'a-random-verifier-the-page-keeps-in-session-storage-0123';
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const boundSignIn = () => new Browser().follow(`${startUrl()}&challenge=${challenge}`, backHome);

  it('is redeemed only with the verifier behind the challenge', async () => {
    provider.loginAs({ sub: 'user-1', claims: { name: 'Olivia Open' } });
    const ticket = fragment(await boundSignIn())['parley-oidc']!;
    const session = await http(`${fx.api}/sign-in/oidc/complete`, { body: { ticket, verifier } });
    expect(session.status).toBe(200);
  });

  it('a planted ticket (no verifier, or another one) is refused and burnt', async () => {
    provider.loginAs({ sub: 'attacker', claims: { name: 'Att Acker' } });
    const planted = fragment(await boundSignIn())['parley-oidc']!;
    const withoutVerifier = await complete(planted);
    expect(withoutVerifier.status).toBe(401);
    expect(withoutVerifier.body.error.message).toMatch(/not started on this page/);
    expect((await http(`${fx.api}/sign-in/oidc/complete`, { body: { ticket: planted, verifier } })).status).toBe(401);

    const another = fragment(await boundSignIn())['parley-oidc']!;
    const wrong = await http(`${fx.api}/sign-in/oidc/complete`, { body: { ticket: another, verifier: `${verifier}x` } });
    expect(wrong.status).toBe(401);
  });

  it('a malformed challenge or verifier is a validation error', async () => {
    const response = await new Browser().get(`${startUrl()}&challenge=short`);
    expect(response.status).toBe(400);
    expect(response.location).toBeNull();
    const tooShort = await http(`${fx.api}/sign-in/oidc/complete`, { body: { ticket: 'x', verifier: 'short' } });
    expect(tooShort.status).toBe(400);
  });
});

describe('the return URL', () => {
  it.each([
    ['another origin', 'https://evil.example/steal', 403],
    ['a look-alike origin', 'https://alpha.example.evil.example/', 403],
    ['another scheme', 'javascript:alert(1)', 400],
    ['credentials', 'https://user:pw@alpha.example/', 400],
    ['not a URL', 'forum', 400],
    ['nothing', '', 400],
    ['too long', `https://alpha.example/${'a'.repeat(2000)}`, 400],
  ])('refuses %s before any redirect', async (_what, returnUrl, status) => {
    const response = await new Browser().get(startUrl(returnUrl));
    expect(response.status).toBe(status);
    expect(response.location).toBeNull();
    expect(JSON.parse(response.body).error.code).toMatch(/^(forbidden|validation_failed)$/);
  });

  it('refuses a repeated returnUrl parameter', async () => {
    const response = await new Browser().get(`${startUrl()}&returnUrl=${encodeURIComponent('https://evil.example/')}`);
    expect(response.status).toBe(400);
  });

  it('keeps the page’s path and query, and replaces its fragment with the ticket', async () => {
    provider.loginAs({ sub: 'user-1', claims: { name: 'Olivia Open' } });
    const landed = await signInAt('https://alpha.example/forum?topic=7#comments');
    expect(landed).toMatch(/^https:\/\/alpha\.example\/forum\?topic=7#parley-oidc=[A-Za-z0-9_-]+$/);
  });
});

describe('staff vouched by the organisation’s IdP', () => {
  it('a staff claim naming a company in the register gives a verified staff badge', async () => {
    provider.loginAs({ sub: 'staff-1', claims: { name: 'Sara Staff', [STAFF_CLAIM]: { company: 'acme', jobTitle: 'Medical Science Liaison' } } });
    const session = await complete(fragment(await signInAt())['parley-oidc']!);
    expect(session.status).toBe(200);
    expect(session.body.viewer).toMatchObject({
      kind: 'staff', roles: expect.arrayContaining(['staff']),
      affiliation: { companyId: 'acme', companyName: 'Acme Pharma', jobTitle: 'Medical Science Liaison', verifiedBy: 'Alpha Patients' },
    });
    const events = await http(`${fx.api}/admin/identity-events`, { token: fx.adminToken });
    expect(events.body.events.at(-1)).toMatchObject({ kind: 'affiliation-added', actor: 'oidc' });
  });

  it('a company not in the register is refused, and no account is created', async () => {
    provider.loginAs({ sub: 'staff-2', claims: { name: 'Nora Nocompany', [STAFF_CLAIM]: { company: 'unknown-co', jobTitle: 'MSL' } } });
    expect(await signInAt()).toBe(`${RETURN}#parley-oidc-error=staff_company_unknown`);
    expect(await server.store.findUsers('alpha', 'Nora', 10)).toHaveLength(0);
  });

  it('a malformed staff claim is refused', async () => {
    provider.loginAs({ sub: 'staff-3', claims: { name: 'Mal Formed', [STAFF_CLAIM]: 'acme' } });
    expect(await signInAt()).toBe(`${RETURN}#parley-oidc-error=staff_claim_invalid`);
  });

  it('a moderator cannot become company staff through the claim', async () => {
    provider.loginAs({ sub: 'mod-1', claims: { name: 'Moe Moderator' } });
    const first = await complete(fragment(await signInAt())['parley-oidc']!);
    await server.store.grantRole('alpha', first.body.viewer.id, 'moderator');
    provider.loginAs({ sub: 'mod-1', claims: { name: 'Moe Moderator', [STAFF_CLAIM]: { company: 'acme', jobTitle: 'MSL' } } });
    expect(await signInAt()).toBe(`${RETURN}#parley-oidc-error=staff_not_allowed`);
    expect(await server.store.getActiveAffiliation('alpha', first.body.viewer.id)).toBeNull();
  });

  it('without a configured staff claim, the same claim is ignored', async () => {
    await http(`${fx.api}/admin/oidc`, { method: 'PUT', token: fx.adminToken, body: settings({ staffClaim: null }) });
    try {
      provider.loginAs({ sub: 'staff-4', claims: { name: 'Ivo Ignored', [STAFF_CLAIM]: { company: 'acme', jobTitle: 'MSL' } } });
      const session = await complete(fragment(await signInAt())['parley-oidc']!);
      expect(session.body.viewer).toMatchObject({ kind: 'member', affiliation: null });
    } finally {
      await http(`${fx.api}/admin/oidc`, { method: 'PUT', token: fx.adminToken, body: settings() });
    }
  });
});

describe('a site without OpenID Connect, and the admin settings', () => {
  it('start on a site without a provider is a clear 404, not a redirect', async () => {
    const response = await new Browser().get(startUrl('https://beta.example/', 'beta'));
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body).error.message).toMatch(/does not offer sign-in with OpenID Connect/);
  });

  it('only admins read or change the provider; the client secret is never returned', async () => {
    const member = await server.sign('alpha', { sub: 'plain-member', name: 'Pat Plain' });
    expect((await http(`${fx.api}/admin/oidc`, { token: member })).status).toBe(403);
    expect((await http(`${fx.api}/admin/oidc`, { method: 'PUT', token: member, body: settings() })).status).toBe(403);
    expect((await http(`${fx.api}/admin/oidc`, { method: 'PUT', body: settings() })).status).toBe(401);
    expect((await http(`${fx.api}/admin/oidc`, { method: 'DELETE', token: fx.moderatorToken })).status).toBe(403);

    const read = await http(`${fx.api}/admin/oidc`, { token: fx.adminToken });
    expect(read.status).toBe(200);
    expect(read.body.oidc).toMatchObject({ issuer: provider.issuer, hasClientSecret: true, redirectUri: `${server.url}/api/sites/alpha/sign-in/oidc/callback` });
    expect(JSON.stringify(read.body)).not.toContain(provider.clientSecret);

    // Omitting the secret keeps it: sign-in still works.
    const { clientSecret: _omitted, ...withoutSecret } = settings({ name: 'Alpha Login' });
    const updated = await http(`${fx.api}/admin/oidc`, { method: 'PUT', token: fx.adminToken, body: withoutSecret });
    expect(updated.status).toBe(200);
    expect(JSON.stringify(updated.body)).not.toContain(provider.clientSecret);
    expect(updated.body.oidc).toMatchObject({ name: 'Alpha Login', hasClientSecret: true });
    provider.loginAs({ sub: 'user-1', claims: { name: 'Olivia Open' } });
    expect(fragment(await signInAt())['parley-oidc']).toBeTruthy();
  });

  it('an admin of one site cannot configure another', async () => {
    const response = await http(`${server.url}/api/sites/beta/admin/oidc`, { method: 'PUT', token: fx.adminToken, body: settings() });
    expect(response.status).toBe(401);
  });

  it.each([
    ['an http issuer off loopback', { issuer: 'http://idp.example' }],
    ['an issuer with a query', { issuer: 'https://idp.example/?x=1' }],
    ['a too long issuer', { issuer: `https://idp.example/${'a'.repeat(300)}` }],
    ['no clientId', { clientId: '' }],
    ['a too long clientId', { clientId: 'c'.repeat(256) }],
    ['a too long secret', { clientSecret: 's'.repeat(513) }],
    ['an empty name', { name: '  ' }],
    ['a too long name', { name: 'n'.repeat(61) }],
    ['a scope with a space', { scopes: ['profile email'] }],
    ['too many scopes', { scopes: Array.from({ length: 11 }, (_, i) => `s${i}`) }],
    ['a bad staff claim name', { staffClaim: 'has space' }],
    ['an unknown field', { extra: true }],
  ])('refuses %s', async (_what, change) => {
    const response = await http(`${fx.api}/admin/oidc`, { method: 'PUT', token: fx.adminToken, body: settings(change) });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_failed');
  });

  it('removing the provider withdraws the offer and ends flows under way', async () => {
    const browser = new Browser();
    provider.loginAs({ sub: 'user-1', claims: { name: 'Olivia Open' } });
    const callback = await callbackUrlFor(browser);
    expect((await http(`${fx.api}/admin/oidc`, { method: 'DELETE', token: fx.adminToken })).body).toEqual({ removed: true });
    try {
      expect((await http(`${server.url}/api/sites/alpha`)).body.signIn.methods).not.toContain('oidc');
      expect((await browser.get(callback)).status).toBe(400);
      expect((await new Browser().get(startUrl())).status).toBe(404);
    } finally {
      await http(`${fx.api}/admin/oidc`, { method: 'PUT', token: fx.adminToken, body: settings() });
    }
  });
});

describe('limits on every input', () => {
  it('complete: a missing, too long or extra-field ticket is a validation error', async () => {
    for (const body of [{}, { ticket: '' }, { ticket: 't'.repeat(101) }, { ticket: 'x', more: 1 }, { ticket: 42 }]) {
      const response = await http(`${fx.api}/sign-in/oidc/complete`, { body });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('validation_failed');
    }
    expect((await complete('never-issued')).status).toBe(401);
  });

  it('callback: a too long state is refused; a too long code ends the flow with provider_error', async () => {
    expect((await new Browser().get(`${server.url}/api/sites/alpha/sign-in/oidc/callback?state=${'s'.repeat(101)}&code=x`)).status).toBe(400);
    provider.loginAs({ sub: 'user-1', claims: { name: 'Olivia Open' } });
    const browser = new Browser();
    const callback = new URL(await callbackUrlFor(browser));
    callback.searchParams.set('code', 'c'.repeat(2049));
    expect((await browser.get(callback.href)).location).toBe(`${RETURN}#parley-oidc-error=provider_error`);
  });
});

describe('outbound requests go only to the configured issuer', () => {
  it('a discovery document pointing the token endpoint elsewhere is refused, and the elsewhere is never called', async () => {
    const elsewhereHits: string[] = [];
    const elsewhere = http_.createServer((req, res) => {
      elsewhereHits.push(req.url ?? '');
      res.end('{}');
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    const elsewhereUrl = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
    const rogue = http_.createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({
        issuer: rogueUrl, authorization_endpoint: `${rogueUrl}/auth`, token_endpoint: `${elsewhereUrl}/token`,
        jwks_uri: `${elsewhereUrl}/jwks`, response_types_supported: ['code'], subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
      }));
    });
    await new Promise<void>((resolve) => rogue.listen(0, '127.0.0.1', resolve));
    const rogueUrl = `http://127.0.0.1:${(rogue.address() as AddressInfo).port}`;
    const set = await http(`${fx.api}/admin/oidc`, { method: 'PUT', token: fx.adminToken, body: settings({ issuer: rogueUrl }) });
    expect(set.status).toBe(200);
    try {
      const started = await new Browser().get(startUrl());
      const authUrl = new URL(started.location!);
      expect(authUrl.origin).toBe(rogueUrl);
      // The "provider" answers with a code, as a browser would bring it back.
      const landed = await new Browser().get(
        `${server.url}/api/sites/alpha/sign-in/oidc/callback?code=abc&state=${authUrl.searchParams.get('state')}`,
      );
      expect(landed.location).toBe(`${RETURN}#parley-oidc-error=provider_error`);
      expect(elsewhereHits).toEqual([]);
    } finally {
      await http(`${fx.api}/admin/oidc`, { method: 'PUT', token: fx.adminToken, body: settings() });
      elsewhere.closeAllConnections();
      rogue.closeAllConnections();
      await Promise.all([new Promise((r) => elsewhere.close(r)), new Promise((r) => rogue.close(r))]);
    }
  });
});

describe('time-outs on outbound calls', () => {
  it('a provider that never answers ends the start in provider_error instead of hanging', async () => {
    const silent = http_.createServer(() => {
      // never answers
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    await http(`${fx.api}/admin/oidc`, { method: 'PUT', token: fx.adminToken, body: settings({ issuer: silentUrl }) });
    try {
      const started = await new Browser().get(startUrl());
      expect(started.status).toBe(302);
      expect(started.location).toBe(`${RETURN}#parley-oidc-error=provider_error`);
    } finally {
      await http(`${fx.api}/admin/oidc`, { method: 'PUT', token: fx.adminToken, body: settings() });
      silent.closeAllConnections();
      await new Promise((r) => silent.close(r));
    }
  }, 30_000);
});

describe('configured in the config file, and across a restart', () => {
  it('a sign-in started before a restart finishes after it: the flow lives in the store', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-oidc-'));
    // One port for both lives of the server: it is part of the redirect URI the provider knows.
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const idp = await startTestProvider({ redirectUris: [`http://127.0.0.1:${port}/api/sites/alpha/sign-in/oidc/callback`] });
    const configFile = path.join(dir, 'parley.json');
    fs.writeFileSync(configFile, JSON.stringify({
      sites: [{
        id: 'alpha', name: 'Alpha Patients', origins: ['https://alpha.example'],
        oidc: { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, name: 'Alpha ID' },
      }],
    }));
    const config = loadConfig({ PARLEY_CONFIG: configFile });
    const options = { dbFile: path.join(dir, 'parley.db'), dataDir: dir, host: '127.0.0.1', port, logLevel: 'silent', sites: config.sites };
    let parley = await createServer(options);
    try {
      expect((await http(`${parley.url}/api/sites/alpha`)).body.signIn).toMatchObject({ oidcName: 'Alpha ID' });
      idp.loginAs({ sub: 'restart-1', claims: { name: 'Rhea Restart' } });
      const browser = new Browser();
      const started = await browser.get(`${parley.url}/api/sites/alpha/sign-in/oidc/start?returnUrl=${encodeURIComponent(RETURN)}`);
      const callback = await browser.follow(started.location!, (url) => url.includes('/sign-in/oidc/callback'));
      await parley.close();
      parley = await createServer(options);
      const landed = await browser.get(callback);
      const session = await http(`${parley.url}/api/sites/alpha/sign-in/oidc/complete`, { body: { ticket: fragment(landed.location!)['parley-oidc'] } });
      expect(session.status).toBe(200);
      expect(session.body.viewer.name).toBe('Rhea Restart');
    } finally {
      await parley.close();
      await idp.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the config file refuses a provider that is not valid', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-oidc-'));
    try {
      const configFile = path.join(dir, 'parley.json');
      fs.writeFileSync(configFile, JSON.stringify({
        sites: [{ id: 'alpha', name: 'Alpha', origins: [], oidc: { issuer: 'http://idp.example', clientId: 'c', name: 'IdP' } }],
      }));
      expect(() => loadConfig({ PARLEY_CONFIG: configFile })).toThrow(/issuer must use https/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
