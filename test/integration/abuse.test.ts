/**
 * Limits against abuse, and what operators see: per-account and per-site post limits with
 * Retry-After, caps on socket connections and events, unknown and malformed socket events,
 * security headers, and the Prometheus metrics endpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { SOCKET_EVENTS } from '../../moderation/protocol.js';
import { countModerationAction } from '../../server/ops/metrics.js';
import { DEFAULT_RATE_LIMITS } from '../../server/services/rate-limits.js';
import { connect, connected, connectError, http } from '../support/clients.js';
import { key, startTestServer, TEST_SITES, type TestServer } from '../support/server.js';
import { demoPlugin } from '../../demo/plugin.js';

const servers: TestServer[] = [];
const sockets: Socket[] = [];

async function start(options: Parameters<typeof startTestServer>[0] = {}) {
  const server = await startTestServer(options);
  servers.push(server);
  return server;
}

function socketFor(server: TestServer, auth: Record<string, unknown>) {
  const socket = connect(server.url, auth);
  sockets.push(socket);
  return socket;
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 3000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await Promise.all(servers.map((s) => s.close()));
});

describe('post rate limits', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await start({
      rateLimits: { ...DEFAULT_RATE_LIMITS, postsPerAccountPerMinute: 3, postsPerIpPerMinute: 1000 },
      sites: [TEST_SITES[0]!, { ...TEST_SITES[1]!, rateLimits: { postsPerAccountPerMinute: 6 } }],
    });
  });

  it('refuses the post over the per-account limit with 429, Retry-After and retryAfterSeconds, storing nothing', async () => {
    const token = await server.sign('alpha', { sub: 'eager', name: 'Eager' });
    for (let i = 0; i < 3; i++) {
      const ok = await http(`${server.url}/api/sites/alpha/posts`, { token, body: { topic: 'limits', body: `post ${i}`, idempotencyKey: key() } });
      expect(ok.status).toBe(201);
    }
    const before = (await server.store.stats()).posts;
    const refused = await http(`${server.url}/api/sites/alpha/posts`, { token, body: { topic: 'limits', body: 'one more', idempotencyKey: key() } });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(refused.body.error.message).toMatch(/too quickly/);
    const seconds = refused.body.error.retryAfterSeconds;
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(60);
    expect(refused.headers.get('retry-after')).toBe(String(seconds));
    expect((await server.store.stats()).posts).toBe(before);

    // The same account is refused over the socket too; another account is not.
    const socket = socketFor(server, { site: 'alpha', token });
    await connected(socket);
    const ack = await socket.emitWithAck(SOCKET_EVENTS.createPost, { topic: 'limits', body: 'via socket', idempotencyKey: key() });
    expect(ack.error.code).toBe('rate_limited');
    expect(ack.error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    const other = await server.sign('alpha', { sub: 'calm', name: 'Calm' });
    const fine = await http(`${server.url}/api/sites/alpha/posts`, { token: other, body: { topic: 'limits', body: 'hello', idempotencyKey: key() } });
    expect(fine.status).toBe(201);
  });

  it('a site’s own limits override the server-wide ones', async () => {
    const token = await server.sign('beta', { sub: 'eager', name: 'Eager' });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const response = await http(`${server.url}/api/sites/beta/posts`, { token, body: { topic: 'limits', body: `post ${i}`, idempotencyKey: key() } });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 201, 429]);
    expect(server.ctx.limits.settingsFor('beta').postsPerAccountPerMinute).toBe(6);
    expect(server.ctx.limits.settingsFor('alpha').postsPerAccountPerMinute).toBe(3);
  });
});

describe('socket connection caps and event budgets', () => {
  it('refuses handshakes over the per-IP cap with rate_limited, and frees a slot on disconnect', async () => {
    const server = await start({ rateLimits: { ...DEFAULT_RATE_LIMITS, connectionsPerIp: 3, connectionsPerIpPerMinute: 1000 } });
    const open = [socketFor(server, { site: 'alpha' }), socketFor(server, { site: 'alpha' }), socketFor(server, { site: 'alpha' })];
    await Promise.all(open.map(connected));
    const refused = await connectError(socketFor(server, { site: 'alpha' }));
    expect(refused.data.error.code).toBe('rate_limited');
    expect(refused.data.error.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.data.error.message).toMatch(/at most 3/);

    open[0]!.disconnect();
    const metrics = async () => (await http(`${server.url}/metrics`)).body as string;
    await until(async () => /parley_socket_connections 2\b/.test(await metrics()));
    // The refused client closed its transport too; once it is gone a new client fits. (Few
    // attempts, spaced out: ten refusals in a minute would get the address blocked.)
    let again: Socket | null = null;
    for (let attempt = 0; attempt < 5 && !again?.connected; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      again?.close();
      again = socketFor(server, { site: 'alpha' });
      await connected(again).catch(() => {});
    }
    expect((again as unknown as Socket).connected).toBe(true);
    expect(await metrics()).toMatch(/parley_rate_limit_refusals_total\{kind="connections",scope="ip"\} [1-9]/);
  });

  it('limits handshakes per IP per minute', async () => {
    const server = await start({ rateLimits: { ...DEFAULT_RATE_LIMITS, connectionsPerIp: 100, connectionsPerIpPerMinute: 4 } });
    for (let i = 0; i < 4; i++) {
      const socket = socketFor(server, { site: 'alpha' });
      await connected(socket);
      socket.close();
    }
    const refused = await connectError(socketFor(server, { site: 'alpha' }));
    expect(refused.data.error.code).toBe('rate_limited');
    expect(refused.data.error.message).toMatch(/Too many connections/);
  });

  it('answers events over a socket’s budget with rate_limited, and the socket recovers', async () => {
    const server = await start({ rateLimits: { ...DEFAULT_RATE_LIMITS, socketEventsPerSecond: 5 } });
    const socket = socketFor(server, { site: 'alpha' });
    await connected(socket);
    const acks = await Promise.all(Array.from({ length: 30 }, () => socket.emitWithAck(SOCKET_EVENTS.join, { topic: 'budget' })));
    const refused = acks.filter((a) => a.error?.code === 'rate_limited');
    expect(acks.filter((a) => a.topic?.id === 'budget').length).toBeGreaterThanOrEqual(10);
    expect(refused.length).toBeGreaterThan(10);
    expect(refused[0].error.retryAfterSeconds).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await socket.emitWithAck(SOCKET_EVENTS.join, { topic: 'budget' })).topic.id).toBe('budget');
  });

  it('disconnects a socket that keeps flooding after being refused', async () => {
    const server = await start({ rateLimits: { ...DEFAULT_RATE_LIMITS, socketEventsPerSecond: 5 } });
    const socket = socketFor(server, { site: 'alpha' });
    await connected(socket);
    const gone = new Promise((resolve) => socket.once('disconnect', resolve));
    for (let i = 0; i < 400; i++) socket.emit(SOCKET_EVENTS.join, { topic: 'flood' }, () => {});
    expect(await gone).toBe('io server disconnect');
    expect((await http(`${server.url}/healthz`)).status).toBe(200);

    // Its address is now blocked for a while: refused before the upgrade, slowly, without data.
    const started = Date.now();
    const blocked = await connectError(socketFor(server, { site: 'alpha' }));
    expect(blocked.data).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect((await http(`${server.url}/metrics`)).body).toMatch(/parley_rate_limit_refusals_total\{kind="blocked",scope="ip"\} 1/);
    // Plain HTTP from that address still works.
    expect((await http(`${server.url}/api/sites/alpha/topics/flood/posts`)).status).toBe(200);
  });
});

describe('malformed socket events', () => {
  let server: TestServer;
  let socket: Socket;
  beforeAll(async () => {
    server = await start();
    socket = socketFor(server, { site: 'alpha', token: await server.sign('alpha', { sub: 'm', name: 'M' }) });
    await connected(socket);
  });

  it('answers an unknown event with bad_request', async () => {
    const ack = await socket.emitWithAck('admin:drop-everything', { all: true });
    expect(ack.error.code).toBe('bad_request');
  });

  it.each([
    ['no payload', []],
    ['null', [null]],
    ['a number', [42]],
    ['a string', ['{"topic":"x"}']],
    ['an array', [[{ topic: 'x' }]]],
    ['deep nesting', [JSON.parse('['.repeat(2000) + ']'.repeat(2000))]],
    ['prototype keys', [JSON.parse('{"__proto__":{"polluted":1},"topic":"x","body":"b","idempotencyKey":"abcdefgh1"}')]],
    ['constructor keys', [{ constructor: { prototype: { polluted: 1 } }, topic: 'x' }]],
    ['lone surrogates', [{ topic: 'x', body: '\ud800\udfff\udc00', idempotencyKey: 'abcdefgh2' }]],
    ['two payloads', [{ topic: 'x' }, { topic: 'y' }]],
  ])('answers post:create with %s with an error ack', async (_name, args) => {
    const before = (await server.store.stats()).posts;
    const ack = await socket.emitWithAck(SOCKET_EVENTS.createPost, ...(args as [unknown]));
    expect(ack.error.code).toMatch(/validation_failed|bad_request/);
    expect((await server.store.stats()).posts).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('security headers', () => {
  it('the demo page carries a Content-Security-Policy; the API carries nosniff and friends', async () => {
    const server = await start({ plugins: [demoPlugin()] });
    const page = await http(server.url + '/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);

    const api = await http(`${server.url}/api/sites/demo/topics/anything/posts`);
    expect(api.status).toBe(200);
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
    expect(api.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(api.headers.get('referrer-policy')).toBe('no-referrer');
    // Plain http without an https public URL: no HSTS (see wire.test.ts for the https case).
    expect(api.headers.get('strict-transport-security')).toBeNull();
    expect(api.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(api.headers.get('x-powered-by')).toBeNull();
  });
});

describe('metrics', () => {
  it('exposes connections, posts, broadcast latency, refusals, moderation actions and HTTP durations', async () => {
    const server = await start({ rateLimits: { ...DEFAULT_RATE_LIMITS, postsPerAccountPerMinute: 2 } });
    const token = await server.sign('alpha', { sub: 'metered', name: 'Metered' });
    const reader = socketFor(server, { site: 'alpha' });
    await connected(reader);
    await reader.emitWithAck(SOCKET_EVENTS.join, { topic: 'metered' });
    for (let i = 0; i < 3; i++) {
      await http(`${server.url}/api/sites/alpha/posts`, { token, body: { topic: 'metered', body: `m${i}`, idempotencyKey: `metered-${i}-key` } });
    }
    countModerationAction(server.ctx, 'alpha', 'remove');
    await http(`${server.url}/api/sites/alpha/topics/metered/posts`);
    await http(`${server.url}/no/such/path/${Math.random()}`);

    const response = await http(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/plain/);
    const text = response.body as string;
    expect(text).toMatch(/^parley_socket_connections 1$/m);
    expect(text).toMatch(/^parley_posts_created_total\{site="alpha"\} 2$/m);
    expect(text).toMatch(/^parley_broadcast_seconds_count 2$/m);
    expect(text).toMatch(/^parley_rate_limit_refusals_total\{kind="post",scope="account"\} 1$/m);
    expect(text).toMatch(/^parley_moderation_actions_total\{site="alpha",action="remove"\} 1$/m);
    expect(text).toMatch(/^parley_http_request_duration_seconds_count\{method="POST",route="\/api\/sites\/:site\/posts",status="201"\} 2$/m);
    expect(text).toMatch(/^parley_http_request_duration_seconds_count\{method="POST",route="\/api\/sites\/:site\/posts",status="429"\} 1$/m);
    expect(text).toMatch(/route="\/api\/sites\/:site\/topics\/:topic\/posts",status="200"/);
    // Unmatched paths share one label: random URLs cannot blow up the series count.
    expect(text).toMatch(/route="unmatched",status="404"/);
    expect(text).not.toContain('/no/such/path');
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
  });
});
