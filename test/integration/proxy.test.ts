/**
 * Behind a reverse proxy (a real nginx from Debian, started by the test on loopback): with
 * `trustProxy` naming the proxy, every client is counted by the address the proxy reports,
 * for Socket.IO handshakes (open-connection cap) and HTTP (post rate per IP) alike; forged
 * X-Forwarded-For headers from clients that are not trusted proxies change nothing; and
 * without the setting forwarded headers are ignored, as before.
 *
 * Each simulated client connects from an address of its own in 127.0.0.0/8 (Linux routes the
 * whole block to the loopback interface), so nginx sees 60 different peers, as a proxy in
 * front of a real site does. nginx itself reaches Parley from 127.0.0.1, the one address trusted.
 */
import fs from 'node:fs';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { SOCKET_EVENTS } from '../../moderation/protocol.js';
import { DEFAULT_RATE_LIMITS } from '../../server/services/rate-limits.js';
import { connected, connectError, nextEvents } from '../support/clients.js';
import { NGINX, startNginx, type Nginx } from '../support/nginx.js';
import { key, startTestServer, type TestServer } from '../support/server.js';

if (!fs.existsSync(NGINX)) throw new Error(`${NGINX} is missing: apt-get install nginx-light (see .ci/run)`);

/** A socket.io client connecting from `address` (its own source address on loopback). */
function reader(url: string, address: string, options: { websocketOnly?: boolean; forwardedFor?: string } = {}): Socket {
  return io(url, {
    auth: { site: 'alpha' },
    // Both ways in: long-polling first then the WebSocket upgrade, and a WebSocket straight away.
    transports: options.websocketOnly ? ['websocket'] : ['polling', 'websocket'],
    forceNew: true,
    reconnection: false,
    agent: new http.Agent({ localAddress: address }) as unknown as string,
    localAddress: address,
    extraHeaders: options.forwardedFor ? { 'x-forwarded-for': options.forwardedFor } : undefined,
  } as Parameters<typeof io>[1]);
}

/** POST JSON from a given source address, with optional extra headers. */
function postFrom(url: string, address: string, token: string, body: unknown, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const text = JSON.stringify(body);
    const req = http.request(url, {
      method: 'POST',
      localAddress: address,
      agent: false,
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), authorization: `Bearer ${token}`, ...headers },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(text);
  });
}

const sockets: Socket[] = [];
const track = (socket: Socket) => (sockets.push(socket), socket);
const closeSockets = () => {
  for (const socket of sockets.splice(0)) socket.close();
};

describe('behind nginx with trustProxy naming it', () => {
  let server: TestServer;
  let nginx: Nginx;

  beforeAll(async () => {
    server = await startTestServer({ trustProxy: '127.0.0.1', rateLimits: { ...DEFAULT_RATE_LIMITS } });
    nginx = await startNginx(server.url);
  });
  afterAll(async () => {
    closeSockets();
    await nginx?.close();
    await server?.close();
  });

  it('lets 60 readers from 60 addresses connect with the default cap, and reach them all live', async () => {
    expect(server.ctx.limits.settingsFor('alpha').connectionsPerIp).toBe(50);
    const readers = Array.from({ length: 60 }, (_, i) => track(reader(nginx.url, `127.0.1.${i + 1}`, { websocketOnly: i % 2 === 0 })));
    await Promise.all(readers.map(connected));
    expect(readers.every((socket) => socket.connected)).toBe(true);
    // Live delivery through the proxy's WebSocket upgrades (and long-polling until upgraded).
    for (const socket of readers) {
      const ack = await socket.timeout(5000).emitWithAck(SOCKET_EVENTS.join, { topic: 'proxied' });
      expect(ack.error).toBeUndefined();
    }
    const arrivals = Promise.all(readers.map((socket) => nextEvents(socket, SOCKET_EVENTS.postCreated, 1, 10_000)));
    const token = await server.sign('alpha', { sub: 'poster', name: 'Poster' });
    expect(await postFrom(`${nginx.url}/api/sites/alpha/posts`, '127.0.1.200', token, { topic: 'proxied', body: 'Hello behind nginx', idempotencyKey: key() })).toBe(201);
    const got = await arrivals;
    expect(got.every(([msg]) => msg.post.body === 'Hello behind nginx')).toBe(true);
    closeSockets();
  });
});

describe('behind nginx with a small cap per address', () => {
  let server: TestServer;
  let nginx: Nginx;

  beforeAll(async () => {
    server = await startTestServer({
      trustProxy: '127.0.0.1',
      rateLimits: { ...DEFAULT_RATE_LIMITS, connectionsPerIp: 2, postsPerIpPerMinute: 2, postsPerAccountPerMinute: 100 },
    });
    nginx = await startNginx(server.url);
  });
  afterAll(async () => {
    closeSockets();
    await nginx?.close();
    await server?.close();
  });

  it('refuses one address over its cap while others still get in', async () => {
    const first = [track(reader(nginx.url, '127.0.2.1')), track(reader(nginx.url, '127.0.2.1', { websocketOnly: true }))];
    await Promise.all(first.map(connected));
    const refused = await connectError(track(reader(nginx.url, '127.0.2.1')));
    expect(refused.data.error.code).toBe('rate_limited');
    const others = [track(reader(nginx.url, '127.0.2.2')), track(reader(nginx.url, '127.0.2.3', { websocketOnly: true }))];
    await Promise.all(others.map(connected));
    expect(others.every((socket) => socket.connected)).toBe(true);
  });

  it('ignores X-Forwarded-For forged by a client: nginx appends the address it saw, and only nginx is trusted', async () => {
    const forged = [0, 1].map((i) => track(reader(nginx.url, '127.0.2.10', { forwardedFor: `10.9.0.${i}` })));
    await Promise.all(forged.map(connected));
    const refused = await connectError(track(reader(nginx.url, '127.0.2.10', { forwardedFor: '10.9.0.2' })));
    expect(refused.data.error.code).toBe('rate_limited');
  });

  it('ignores X-Forwarded-For from a client that reaches Parley directly', async () => {
    const direct = [0, 1].map((i) => track(reader(server.url, '127.0.2.20', { forwardedFor: `10.8.0.${i}` })));
    await Promise.all(direct.map(connected));
    const refused = await connectError(track(reader(server.url, '127.0.2.20', { forwardedFor: '10.8.0.2' })));
    expect(refused.data.error.code).toBe('rate_limited');
  });

  it('counts HTTP posts per address the proxy reports, and a forged header does not earn a fresh budget', async () => {
    const url = `${nginx.url}/api/sites/alpha/posts`;
    const token = await server.sign('alpha', { sub: 'busy', name: 'Busy' });
    const post = (address: string, headers: Record<string, string> = {}) =>
      postFrom(url, address, token, { topic: 'http-limits', body: `from ${address}`, idempotencyKey: key() }, headers);
    expect([await post('127.0.3.1'), await post('127.0.3.1', { 'x-forwarded-for': '10.7.0.1' })]).toEqual([201, 201]);
    expect(await post('127.0.3.1', { 'x-forwarded-for': '10.7.0.2' })).toBe(429);
    // Another reader behind the same proxy has a budget of its own.
    expect(await post('127.0.3.2')).toBe(201);
  });
});

describe('behind nginx without trustProxy', () => {
  let server: TestServer;
  let nginx: Nginx;

  beforeAll(async () => {
    server = await startTestServer({ rateLimits: { ...DEFAULT_RATE_LIMITS, connectionsPerIp: 2 } });
    nginx = await startNginx(server.url);
  });
  afterAll(async () => {
    closeSockets();
    await nginx?.close();
    await server?.close();
  });

  it('does not believe forwarded headers: every reader shares the proxy address', async () => {
    const first = [track(reader(nginx.url, '127.0.4.1')), track(reader(nginx.url, '127.0.4.2'))];
    await Promise.all(first.map(connected));
    const refused = await connectError(track(reader(nginx.url, '127.0.4.3')));
    expect(refused.data.error.code).toBe('rate_limited');
  });
});
