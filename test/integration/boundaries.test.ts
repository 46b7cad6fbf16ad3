/** Bad input, origins, tokens and sites: every refusal is clear and leaves stored data untouched. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { SignJWT } from 'jose';
import { LIMITS } from '../../moderation/limits.js';
import { SOCKET_EVENTS } from '../../moderation/protocol.js';
import { connect, connected, connectError, http } from '../support/clients.js';
import { key, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let api: string;
let alice: string;
const sockets: Socket[] = [];

function socketFor(auth: Record<string, unknown>, options = {}) {
  const socket = connect(server.url, auth, options);
  sockets.push(socket);
  return socket;
}

beforeAll(async () => {
  server = await startTestServer();
  api = `${server.url}/api/sites/alpha`;
  alice = await server.sign('alpha', { sub: 'alice', name: 'Alice' });
  await http(`${api}/posts`, { token: alice, body: { topic: 'stable', body: 'the one post', idempotencyKey: key() } });
});

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await server.close();
});

async function storedPosts(): Promise<number> {
  return (await server.store.stats()).posts;
}

describe('validation', () => {
  const cases: Array<[string, unknown, string]> = [
    ['empty body', { topic: 'stable', body: '   ', idempotencyKey: key() }, 'validation_failed'],
    ['body too long', { topic: 'stable', body: 'x'.repeat(LIMITS.postBodyMaxChars + 1), idempotencyKey: key() }, 'validation_failed'],
    ['body not text', { topic: 'stable', body: { $gt: '' }, idempotencyKey: key() }, 'validation_failed'],
    ['missing key', { topic: 'stable', body: 'hi' }, 'validation_failed'],
    ['short key', { topic: 'stable', body: 'hi', idempotencyKey: 'abc' }, 'validation_failed'],
    ['bad topic', { topic: '../../etc', body: 'hi', idempotencyKey: key() }, 'validation_failed'],
    ['unknown field', { topic: 'stable', body: 'hi', idempotencyKey: key(), admin: true }, 'validation_failed'],
    ['array', [1, 2, 3], 'validation_failed'],
    ['unknown parent', { topic: 'stable', body: 'hi', parent: 'nope', idempotencyKey: key() }, 'not_found'],
  ];

  it.each(cases)('REST refuses %s with a clear error and stores nothing', async (_name, body, code) => {
    const before = await storedPosts();
    const response = await http(`${api}/posts`, { token: alice, body });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.body.error.code).toBe(code);
    expect(typeof response.body.error.message).toBe('string');
    expect(await storedPosts()).toBe(before);
  });

  it.each(cases)('the socket refuses %s with the same error in its ack', async (_name, body, code) => {
    const socket = socketFor({ site: 'alpha', token: alice });
    await connected(socket);
    const before = await storedPosts();
    const ack = await socket.emitWithAck(SOCKET_EVENTS.createPost, body);
    expect(ack.error.code).toBe(code);
    expect(await storedPosts()).toBe(before);
  });

  it('refuses malformed and oversized JSON bodies', async () => {
    const malformed = await http(`${api}/posts`, { token: alice, rawBody: '{"topic": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('bad_request');
    const huge = await http(`${api}/posts`, { token: alice, rawBody: JSON.stringify({ body: 'x'.repeat(LIMITS.requestBodyMaxBytes) }) });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');
  });

  it('an oversized socket message is refused without harming the server', async () => {
    const socket = socketFor({ site: 'alpha', token: alice });
    await connected(socket);
    const dropped = new Promise((resolve) => socket.once('disconnect', resolve));
    socket.emit(SOCKET_EVENTS.createPost, { topic: 'stable', body: 'x'.repeat(LIMITS.requestBodyMaxBytes * 2), idempotencyKey: key() });
    await dropped;
    const health = await http(`${server.url}/healthz`);
    expect(health.status).toBe(200);
  });

  it('socket events without an ack or with junk payloads do not crash the server', async () => {
    const socket = socketFor({ site: 'alpha', token: alice });
    await connected(socket);
    socket.emit(SOCKET_EVENTS.createPost, null);
    socket.emit(SOCKET_EVENTS.join, 42);
    const ack = await socket.emitWithAck(SOCKET_EVENTS.join, { topic: 'stable', since: -1 });
    expect(ack.error.code).toBe('validation_failed');
    const ok = await socket.emitWithAck(SOCKET_EVENTS.join, { topic: 'stable' });
    expect(ok.topic.id).toBe('stable');
  });

  it('replies nest only as deep as the limit allows', async () => {
    let parent: string | null = null;
    for (let depth = 0; depth <= LIMITS.maxReplyDepth; depth++) {
      const created: any = await http(`${api}/posts`, { token: alice, body: { topic: 'deep', parent, body: `depth ${depth}`, idempotencyKey: key() } });
      expect(created.status).toBe(201);
      expect(created.body.post.depth).toBe(depth);
      parent = created.body.post.id;
    }
    const tooDeep = await http(`${api}/posts`, { token: alice, body: { topic: 'deep', parent, body: 'one more', idempotencyKey: key() } });
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body.error.code).toBe('too_deep');
  });

  it('a reply must be in its parent’s topic', async () => {
    const root = await http(`${api}/posts`, { token: alice, body: { topic: 'topic-a', body: 'root', idempotencyKey: key() } });
    const cross = await http(`${api}/posts`, { token: alice, body: { topic: 'topic-b', parent: root.body.post.id, body: 'x', idempotencyKey: key() } });
    expect(cross.status).toBe(404);
  });

  it('raw HTML is stored as typed and rendered as text; unsafe links are not links', async () => {
    const body = '<img src=x onerror=alert(1)> <script>alert(2)</script> [click](javascript:alert(3)) [ok](https://example.org)';
    const created = await http(`${api}/posts`, { token: alice, body: { topic: 'xss', body, idempotencyKey: key() } });
    expect(created.body.post.body).toBe(body);
    const html: string = created.body.post.html;
    expect(html).not.toMatch(/<img|<script/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('href="javascript');
    expect(html).toContain('<a href="https://example.org" rel="nofollow ugc noopener" target="_blank">ok</a>');
  });
});

describe('sign-in and sites', () => {
  it('posting needs a sign-in; reading does not', async () => {
    const anonymous = await http(`${api}/posts`, { body: { topic: 'stable', body: 'hi', idempotencyKey: key() } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthenticated');
    const read = await http(`${api}/topics/stable/posts`);
    expect(read.status).toBe(200);
    const socket = socketFor({ site: 'alpha' });
    await connected(socket);
    const ack = await socket.emitWithAck(SOCKET_EVENTS.createPost, { topic: 'stable', body: 'hi', idempotencyKey: key() });
    expect(ack.error.code).toBe('unauthenticated');
  });

  it('a token for one site is refused on another, over REST and sockets', async () => {
    const betaToken = await server.sign('beta', { sub: 'alice', name: 'Alice' });
    const before = await storedPosts();
    const response = await http(`${api}/posts`, { token: betaToken, body: { topic: 'stable', body: 'hi', idempotencyKey: key() } });
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('token_invalid');
    const refused = await connectError(socketFor({ site: 'alpha', token: betaToken }));
    expect(refused.data.error.code).toBe('token_invalid');
    expect(await storedPosts()).toBe(before);
  });

  it('a token whose audience names another site is refused even with the right key', async () => {
    const token = await server.sign('alpha', { sub: 'alice', name: 'Alice', aud: 'beta' });
    const response = await http(`${api}/me`, { token });
    expect(response.status).toBe(401);
    expect(response.body.error.message).toMatch(/another site/);
  });

  it('a token without an audience is refused, with a message naming the claim the host must add', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ name: 'Alice' }).setProtectedHeader({ alg: 'HS256' }).setSubject('alice')
      .setIssuedAt(now).setExpirationTime(now + 600).sign(new TextEncoder().encode('alpha-secret-0123456789abcdef0123456789'));
    const response = await http(`${api}/me`, { token });
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('token_invalid');
    expect(response.body.error.message).toMatch(/"aud".*"alpha"/);
  });

  // Security review (issue 12): the lifetime was measured from `iat` alone, so a 30-day token
  // whose `iat` sat one hour before its `exp` was accepted, and could be swapped for a session.
  it('a long-lived token with an `iat` set just before its `exp` is refused, and cannot be swapped for a session', async () => {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + 30 * 86_400;
    const secret = new TextEncoder().encode('alpha-secret-0123456789abcdef0123456789');
    const lateIat = await new SignJWT({ name: 'Mallory', aud: 'alpha' }).setProtectedHeader({ alg: 'HS256' }).setSubject('mallory')
      .setIssuedAt(exp - 3600).setExpirationTime(exp).sign(secret);
    const noIat = await new SignJWT({ name: 'Mallory', aud: 'alpha' }).setProtectedHeader({ alg: 'HS256' }).setSubject('mallory')
      .setExpirationTime(now + 600).sign(secret);
    const stale = await new SignJWT({ name: 'Mallory', aud: 'alpha' }).setProtectedHeader({ alg: 'HS256' }).setSubject('mallory')
      .setIssuedAt(now - 13 * 3600).setExpirationTime(now + 600).sign(secret);
    for (const [name, token] of [['late iat', lateIat], ['no iat', noIat], ['issued 13 hours ago', stale]] as const) {
      const me = await http(`${api}/me`, { token });
      expect(me.status, name).toBe(401);
      expect(me.body.error.code, name).toBe('token_invalid');
      const session = await http(`${api}/session`, { method: 'POST', body: { hostToken: token } });
      expect(session.status, name).toBe(401);
      expect(session.body.error.code, name).toBe('token_invalid');
      expect(session.body.refreshToken, name).toBeUndefined();
    }
    // The same claims within the cap are fine: the refusal is about the lifetime, not the person.
    const fair = await new SignJWT({ name: 'Mallory', aud: 'alpha' }).setProtectedHeader({ alg: 'HS256' }).setSubject('mallory')
      .setIssuedAt(now).setExpirationTime(now + 11 * 3600).sign(secret);
    expect((await http(`${api}/session`, { method: 'POST', body: { hostToken: fair } })).status).toBe(200);
  });

  it('refuses expired, long-lived, unsigned and garbage tokens', async () => {
    const now = Math.floor(Date.now() / 1000);
    const secret = new TextEncoder().encode('alpha-secret-0123456789abcdef0123456789');
    const expired = await new SignJWT({ name: 'A', aud: 'alpha' }).setProtectedHeader({ alg: 'HS256' }).setSubject('a')
      .setIssuedAt(now - 7200).setExpirationTime(now - 3600).sign(secret);
    const forever = await new SignJWT({ name: 'A', aud: 'alpha' }).setProtectedHeader({ alg: 'HS256' }).setSubject('a')
      .setIssuedAt(now).setExpirationTime(now + 365 * 86400).sign(secret);
    const noExp = await new SignJWT({ name: 'A', aud: 'alpha' }).setProtectedHeader({ alg: 'HS256' }).setSubject('a').sign(secret);
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: 'a', name: 'A', exp: now + 60 })).toString('base64url');
    const unsigned = `${header}.${payload}.`;
    for (const [name, token] of [['expired', expired], ['forever', forever], ['noExp', noExp], ['unsigned', unsigned], ['garbage', 'not.a.jwt']]) {
      const response = await http(`${api}/me`, { token });
      expect(response.status, name).toBe(401);
      expect(response.body.error.code, name).toBe('token_invalid');
    }
  });

  it('/me tells the widget who is signed in, without the host’s subject id', async () => {
    const me = await http(`${api}/me`, { token: alice });
    expect(me.status).toBe(200);
    expect(me.body.viewer.name).toBe('Alice');
    expect(me.body.viewer.roles).toEqual(['member']);
    expect(JSON.stringify(me.body)).not.toContain('"alice"');
  });

  it('an unknown site is a 404 for REST and a refusal for sockets', async () => {
    const response = await http(`${server.url}/api/sites/nope/topics/x/posts`);
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('not_found');
    const refused = await connectError(socketFor({ site: 'nope' }));
    expect(refused.data.error.code).toBe('not_found');
  });
});

describe('origins', () => {
  it('REST answers allowed origins with CORS and refuses others', async () => {
    const allowed = await http(`${api}/topics/stable/posts`, { origin: 'https://alpha.example' });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://alpha.example');
    const preflight = await http(`${api}/posts`, { method: 'OPTIONS', origin: 'https://alpha.example' });
    expect(preflight.status).toBe(204);
    const refused = await http(`${api}/topics/stable/posts`, { origin: 'https://evil.example' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('origin_not_allowed');
    const otherSitesOrigin = await http(`${api}/topics/stable/posts`, { origin: 'https://beta.example' });
    expect(otherSitesOrigin.status).toBe(403);
  });

  it('a post from a refused origin stores nothing', async () => {
    const before = await storedPosts();
    const refused = await http(`${api}/posts`, { origin: 'https://evil.example', token: alice, body: { topic: 'stable', body: 'x', idempotencyKey: key() } });
    expect(refused.status).toBe(403);
    expect(await storedPosts()).toBe(before);
  });

  it('sockets from an origin the site does not allow are refused', async () => {
    const ok = socketFor({ site: 'alpha' }, { origin: 'https://alpha.example' });
    await connected(ok);
    const refused = await connectError(socketFor({ site: 'alpha' }, { origin: 'https://evil.example' }));
    expect(refused.data.error.code).toBe('origin_not_allowed');
    const crossSite = await connectError(socketFor({ site: 'alpha' }, { origin: 'https://beta.example' }));
    expect(crossSite.data.error.code).toBe('origin_not_allowed');
  });
});

describe('the server itself', () => {
  it('serves health, readiness, security headers, and JSON 404s', async () => {
    const health = await http(`${server.url}/healthz`);
    expect(health.body).toEqual({ ok: true });
    expect((await http(`${server.url}/readyz`)).status).toBe(200);
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
    const missing = await http(`${server.url}/api/nothing`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  });
});

describe('token verification cache', () => {
  it('stops accepting a token once the site’s secret is rotated, even after it was seen', async () => {
    const token = await server.sign('alpha', { sub: 'rotator', name: 'Rota' });
    expect((await http(`${api}/me`, { token })).status).toBe(200);
    const site = (await server.store.getSite('alpha'))!;
    await server.store.upsertSite({ ...site, secret: 'a-brand-new-secret-0123456789abcdef0123' });
    try {
      const refused = await http(`${api}/me`, { token });
      expect(refused.status).toBe(401);
    } finally {
      await server.store.upsertSite(site);
    }
    expect((await http(`${api}/me`, { token })).status).toBe(200);
  });
});
