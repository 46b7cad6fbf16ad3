/**
 * Names that cannot imitate, over HTTP (security review, issue 12): the cases that passed
 * before — a capital Cyrillic letter, a Greek omicron, small capitals, a right-to-left
 * override that displays reversed text — are refused when a member chooses the name
 * (`PATCH /me`) and marked (or stripped) when a host's token carries it. Moderators and
 * admins are protected as well as staff and companies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http } from '../support/clients.js';
import { setUpIdentity, type Fixture } from '../support/identity-fixtures.js';
import { key, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let fx: Fixture;
let member: string;

beforeAll(async () => {
  server = await startTestServer();
  fx = await setUpIdentity(server); // admin "Ada Admin", moderator "Mo Moderator"
  // A verified staff member of Acme, signed in by the host.
  const staff = await server.sign('alpha', { sub: 'real-sarah', name: 'Sarah Lindqvist', affiliation: { company: 'acme', jobTitle: 'Medical Advisor' } });
  expect((await http(`${fx.api}/me`, { token: staff })).body.viewer.kind).toBe('staff');
  member = await server.sign('alpha', { sub: 'would-be-imitator', name: 'Plain Name' });
});
afterAll(async () => server.close());

const rename = (displayName: string) => http(`${fx.api}/me`, { method: 'PATCH', token: member, body: { displayName } });

describe('PATCH /me refuses names that imitate', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['a capital Cyrillic letter', '\u0405arah Lindqvist', /too close to a verified staff member \(Sarah Lindqvist\)/],
    ['a Greek omicron', 'M\u03BF Moderator', /too close to a moderator \(Mo Moderator\)/],
    ['small capitals', '\uA731\u1D00\u0280\u1D00\u029C \u029F\u026A\u0274\u1D05\uA7AF\u1D20\u026A\uA731\u1D1B', /too close to a verified staff member/],
    ['an admin with a Cyrillic a', '\u0410da Admin', /too close to an administrator \(Ada Admin\)/],
    ['a zero-width space inside', 'Sarah\u200B Lindqvist', /invisible characters/],
    ['a right-to-left override showing a staff name', '\u202Etsivqdnil haraS', /override/],
  ];
  for (const [what, name, message] of cases) {
    it(`refuses ${what}`, async () => {
      const response = await rename(name);
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('validation_failed');
      expect(response.body.error.message).toMatch(message);
    });
  }

  it('keeps the name the member had, and lets ordinary names through', async () => {
    expect((await http(`${fx.api}/me`, { token: member })).body.viewer.name).toBe('Plain Name');
    for (const name of ['Sarah', 'Moderately Curious', 'Алексей', 'Mira 🌻']) {
      const response = await rename(name);
      expect(response.status, name).toBe(200);
      expect(response.body.displayName, name).toBe(name);
    }
  });
});

describe("a host token's name", () => {
  it('is marked as a look-alike when it imitates with confusable letters', async () => {
    for (const [sub, name] of [['host-cyr', '\u0405ARAH LINDQVIST'], ['host-omicron', 'M\u03BF M\u03BFderator'], ['host-smallcaps', '\u1D00\u1D05\u1D00 \u1D00\u1D05\u1D0D\u026A\u0274']]) {
      const token = await server.sign('alpha', { sub, name });
      const created = await http(`${fx.api}/posts`, { token, body: { topic: 'names', body: `Hello from ${sub}`, idempotencyKey: key() } });
      expect(created.status, sub).toBe(201);
      expect(created.body.post.author.kind, sub).toBe('member');
      expect(created.body.post.author.lookalike, sub).toBe(true);
    }
  });

  it('is stripped of direction overrides and invisible characters, so it shows as it is stored', async () => {
    const token = await server.sign('alpha', { sub: 'host-rlo', name: '\u202Etsivqdnil\u200B haraS\u202C' });
    const created = await http(`${fx.api}/posts`, { token, body: { topic: 'names', body: 'Reversed?', idempotencyKey: key() } });
    expect(created.status).toBe(201);
    expect(created.body.post.author.name).toBe('tsivqdnil haraS');
    const me = await http(`${fx.api}/me`, { token });
    expect(me.body.viewer.name).toBe('tsivqdnil haraS');
  });

  it('an ordinary host name is not marked', async () => {
    const token = await server.sign('alpha', { sub: 'host-plain', name: 'Sarah Lindgren' });
    const created = await http(`${fx.api}/posts`, { token, body: { topic: 'names', body: 'Just me', idempotencyKey: key() } });
    expect(created.body.post.author.lookalike).toBeUndefined();
  });
});
