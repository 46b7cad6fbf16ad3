/**
 * Fuzzing the boundaries: well over 10,000 random, malformed and oversized REST requests,
 * socket.io events and raw engine.io frames (random JSON, wrong types, huge strings, deep
 * nesting, lone surrogates and invalid UTF-8, prototype-pollution keys, random methods,
 * paths and headers, broken and compressed JSON). Nothing may answer 5xx, log an internal
 * error, hang, pollute prototypes, or change stored data; the server stays healthy.
 *
 * Seeded (PARLEY_FUZZ_SEED to replay a failure). Payloads that carry a valid sign-in and
 * could be a valid post are made invalid on purpose (an unknown field), since a valid
 * post would rightly change the data this test guards.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import { Writable } from 'node:stream';
import zlib from 'node:zlib';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { LIMITS } from '../../moderation/limits.js';
import { SOCKET_EVENTS } from '../../moderation/protocol.js';
import { CreatePostSchema, parseWith } from '../../moderation/schemas.js';
import { prng } from '../support/child-server.js';
import { http as request } from '../support/clients.js';
import { key, startTestServer, type TestServer } from '../support/server.js';

const SEED = Number(process.env.PARLEY_FUZZ_SEED ?? 7_000_007);
const REST_CASES = 5_500;
const SOCKET_CASES = 4_000;
const RAW_FRAMES = 1_500;

const random = prng(SEED);
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
const chance = (p: number) => random() < p;

let server: TestServer;
let alice: string;
let postIds: string[] = [];
const internalErrors: string[] = [];

// ---------------------------------------------------------------------------------------
// Random values

const KEYS = ['topic', 'body', 'idempotencyKey', 'parent', 'topicTitle', 'since', 'token', 'order', 'limit', 'cursor', 'site',
  '__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '$gt', '$where', '', ' ', 'a'.repeat(300), 'é', '\u0000'];

const STRINGS = ['', ' ', '\n\t', 'null', 'undefined', 'true', '0', '-1', '1e309', 'NaN', "'; DROP TABLE posts; --", '" OR 1=1 --',
  '../../etc/passwd', '..%2F..%2F', '%00', '\u0000', '\u202e\u202d', '\ufeff', '\ud800', '\udfff', '\ud800\ud800', '\udc00\ud800',
  '😀'.repeat(50), 'ﷺ'.repeat(100), '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '[x](javascript:alert(1))',
  '{{constructor.constructor("return process")()}}', '${process.exit()}', 'alpha', 'beta', 'stable', 's0', 'k'.repeat(8)];

function randomString(): string {
  switch (int(8)) {
    case 0:
      return pick(STRINGS);
    case 1:
      return 'x'.repeat(pick([10_001, 20_000, 70_000]));
    case 2:
      return String.fromCharCode(...Array.from({ length: int(40) }, () => int(0x10000)));
    case 3:
      return Array.from({ length: int(30) }, () => String.fromCodePoint(int(0x110000))).join('');
    case 4:
      return pick(STRINGS) + pick(STRINGS) + pick(STRINGS);
    default:
      return Array.from({ length: 1 + int(20) }, () => pick('abcXYZ019._:/-~ %'.split(''))).join('');
  }
}

function randomNumber(): number {
  return pick([0, -0, 1, -1, 0.5, 2 ** 31, 2 ** 53 + 1, -(2 ** 63), 1e308, Number.MAX_SAFE_INTEGER, int(1000)]);
}

function randomJson(depth = 0): unknown {
  const leafOnly = depth > 4;
  switch (int(leafOnly ? 4 : 7)) {
    case 0:
      return null;
    case 1:
      return chance(0.5);
    case 2:
      return randomNumber();
    case 3:
      return randomString();
    case 4:
      return Array.from({ length: int(5) }, () => randomJson(depth + 1));
    case 5:
      return deep(2 + int(3000));
    default: {
      const object: Record<string, unknown> = {};
      for (let i = int(6); i > 0; i--) object[pick(KEYS)] = randomJson(depth + 1);
      return object;
    }
  }
}

function deep(levels: number): unknown {
  let value: unknown = pick([[], {}, 'bottom', 1]);
  for (let i = 0; i < levels; i++) value = chance(0.5) ? [value] : { a: value };
  return value;
}

/** A valid post with one or more fields made wrong. */
function mutatedPost(): Record<string, unknown> {
  const post: Record<string, unknown> = { topic: 'stable', body: 'hello', idempotencyKey: key() };
  if (chance(0.3)) post.parent = pick(postIds);
  if (chance(0.2)) post.topicTitle = 'A title';
  for (let i = 1 + int(3); i > 0; i--) {
    const field = pick(['topic', 'body', 'idempotencyKey', 'parent', 'topicTitle', pick(KEYS)]);
    post[field] = chance(0.5) ? randomJson(3) : randomString();
  }
  return post;
}

/** Makes sure a signed-in payload cannot be a valid post (see the header). */
function poisoned(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const object = { zzz: 1, ...(value as object), zzzz: 1 };
    if (parseWith(CreatePostSchema, object).ok) throw new Error('a poisoned payload validated');
    return object;
  }
  return value;
}

function randomPayload(): unknown {
  return chance(0.5) ? mutatedPost() : randomJson();
}

// ---------------------------------------------------------------------------------------
// REST

const ROUTES: Array<[string, string, boolean]> = [
  // [method, path, may carry the valid sign-in]
  ['GET', '/api/sites/{site}', true],
  ['GET', '/api/sites/{site}/me', true],
  ['GET', '/api/sites/{site}/topics', false],
  ['GET', '/api/sites/{site}/topics/{topic}/posts', true],
  ['GET', '/api/sites/{site}/topics/{topic}/changes', true],
  ['POST', '/api/sites/{site}/posts', true],
  ['GET', '/api/sites/{site}/posts/{id}', true],
  ['GET', '/api/sites/{site}/companies', false],
  ['GET', '/api/sites/{site}/companies/{id}', false],
  ['GET', '/api/sites/{site}/topics/{topic}/participants', false],
  ['POST', '/api/sites/{site}/session', false],
  ['POST', '/api/sites/{site}/session/refresh', false],
  ['POST', '/api/sites/{site}/staff/email-link', false],
  ['POST', '/api/sites/{site}/staff/verify', false],
  ['PATCH', '/api/sites/{site}/me', false],
  ['DELETE', '/api/sites/{site}/me', false],
  ['GET', '/api/sites/{site}/admin', false],
  ['POST', '/api/sites/{site}/admin/roles', false],
  ['PUT', '/api/sites/{site}/admin/companies/{id}', false],
  ['GET', '/healthz', false],
  ['GET', '/readyz', false],
  ['GET', '/metrics', false],
  ['GET', '/parley.js', false],
  ['GET', '/socket.io/', false],
  ['GET', '/demo/api/personas', false],
  ['GET', '/{junk}', false],
];

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'PROPFIND', 'SEARCH', 'PURGE', 'LINK'];
const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'application/json; charset=utf-16',
  'application/json; charset=bogus', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '*/*', 'application/merge-patch+json', 'application/vnd.api+json'];

/** Percent-encodes the UTF-8 bytes (lone surrogates become U+FFFD, as on the wire). */
function pct(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text)) out += /[A-Za-z0-9._~-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).padStart(2, '0')}`;
  return out;
}

function segment(kind: 'site' | 'topic' | 'id' | 'junk'): string {
  if (kind === 'site' && chance(0.8)) return pick(['alpha', 'beta', 'nope', 'ALPHA']);
  if (kind === 'topic' && chance(0.4)) return pick(['stable', 'fuzz', 'a.b:c/d', 'x'.repeat(129)]);
  if (kind === 'id' && chance(0.5) && postIds.length) return pick(postIds);
  const raw = chance(0.3) ? pick(['..', '%zz', '%', '%00', '%2e%2e', '%ff%fe', '%ED%A0%80', '~', ';', 'a;b=c', '.env', '\\', '%5c..%5c']) : randomString();
  const encoded = /^[\x21-\x7e]*$/.test(raw) && !/[?#\s]/.test(raw) ? raw : pct(raw);
  return encoded.slice(0, chance(0.02) ? 20_000 : 2_000) || 'empty';
}

function query(): string {
  if (chance(0.4)) return '';
  const parts: string[] = [];
  for (let i = 1 + int(4); i > 0; i--) {
    const name = pick(['order', 'limit', 'cursor', 'since', 'ids', 'since[]', 'limit[$gt]', 'name', 'after', '__proto__[polluted]', 'constructor[prototype][polluted]', pct(randomString().slice(0, 50))]);
    const value = chance(0.5) ? pick(['newest', 'oldest', '0', '-1', '20', '101', '1e3', '0x10', 's1', 'sZZZZZZZZZZZZ', '', '%zz']) : pct(randomString().slice(0, 200));
    parts.push(`${name}=${value}`);
  }
  return `?${parts.join('&')}`;
}

function printable(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, '?');
}

interface RestCase {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

function restCase(): RestCase {
  const [routeMethod, template, maySignIn] = pick(ROUTES);
  const method = chance(0.8) ? routeMethod : pick(METHODS);
  const path = template.replace(/\{(site|topic|id|junk)\}/g, (_m, kind) => segment(kind)) + query();
  const signedIn = maySignIn && chance(0.5);
  const headers: Record<string, string> = {};
  if (signedIn) headers.authorization = `Bearer ${alice}`;
  else if (chance(0.4)) {
    headers.authorization = pick(['Bearer garbage', 'Bearer', 'Basic YWxpY2U6YWxpY2U=', `Bearer ${'a'.repeat(9000)}`, 'bearer x.y.z',
      `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"alice","name":"A","exp":9999999999}').toString('base64url')}.`,
      `Bearer ${alice.slice(0, -3)}abc`, printable(randomString()).slice(0, 500)]);
  }
  if (chance(0.3)) headers.origin = pick(['https://alpha.example', 'https://evil.example', 'null', 'garbage', 'https://beta.example', 'http://127.0.0.1']);
  if (chance(0.2)) headers['x-forwarded-for'] = pick(['1.2.3.4', '::1, 10.0.0.1', 'garbage', printable(randomString()).slice(0, 100)]);
  if (chance(0.1)) headers.cookie = printable(randomString()).slice(0, 500);
  if (chance(0.1)) headers.range = pick(['bytes=0-10', 'bytes=-1', 'bytes=999999-', 'junk']);
  if (chance(0.1)) headers['accept-encoding'] = pick(['gzip', 'br', 'identity;q=0', '*']);

  let body: Buffer | undefined;
  if (method !== 'GET' && method !== 'HEAD' && chance(0.9)) {
    headers['content-type'] = chance(0.75) ? 'application/json' : pick(CONTENT_TYPES);
    const payload = signedIn ? poisoned(randomPayload()) : randomPayload();
    let text = JSON.stringify(payload) ?? 'null';
    switch (int(10)) {
      case 0: {
        // Broken JSON: one edit for signed-in requests (a poison key always survives), more otherwise.
        for (let edits = signedIn ? 1 : 1 + int(3); edits > 0; edits--) {
          const at = int(text.length + 1);
          text = text.slice(0, at) + pick(['', '{', '}', '[', '"', ',', ':', '\\', '\u0000', 'undefined']) + text.slice(at + int(3));
        }
        body = Buffer.from(text);
        break;
      }
      case 1:
        body = Buffer.concat([Buffer.from(text.slice(0, int(text.length))), Buffer.from([0xff, 0xfe, 0xed, 0xa0, 0x80, 0xc0, 0xaf])]);
        break;
      case 2:
        body = Buffer.from(`\ufeff${text}`);
        break;
      case 3: {
        const encoding = pick(['gzip', 'deflate', 'br', 'bogus', 'identity']);
        headers['content-encoding'] = encoding;
        body = encoding === 'gzip' ? zlib.gzipSync(text) : encoding === 'deflate' ? zlib.deflateSync(text) : Buffer.from(text);
        if (chance(0.3)) body = body.subarray(0, int(body.length));
        break;
      }
      case 4:
        body = Buffer.from(JSON.stringify({ zzz: 1, body: 'x'.repeat(70_000) }));
        break;
      default:
        body = Buffer.from(text);
    }
    if (chance(0.2)) headers['transfer-encoding'] = 'chunked';
    else headers['content-length'] = String(body.length);
  }
  return { method, path, headers, body };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

function send(url: URL, c: RestCase): Promise<{ status: number } | { error: string }> {
  return new Promise((resolve) => {
    let req: http.ClientRequest;
    try {
      req = http.request({ host: url.hostname, port: url.port, method: c.method, path: c.path, headers: c.headers, agent, timeout: 10_000 }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
        res.on('error', (e) => resolve({ error: e.message }));
      });
    } catch (error) {
      // The client itself refused to send it (e.g. an invalid header): not a server matter.
      resolve({ status: -1 });
      return;
    }
    req.on('timeout', () => {
      req.destroy(new Error('timeout'));
    });
    req.on('error', (e) => resolve({ error: e.message }));
    if (c.body) req.end(c.body);
    else req.end();
  });
}

// ---------------------------------------------------------------------------------------
// The guarded state

async function snapshot() {
  // Through the store's own database (SQLite or PostgreSQL), ordered by primary key.
  const hash = createHash('sha256');
  for (const [table, order] of [['posts', 'id'], ['topics', 'site, id'], ['sites', 'id']] as const) {
    for (const row of await server.store.database.all(`SELECT * FROM ${table} ORDER BY ${order}`)) hash.update(JSON.stringify(row));
  }
  return { hash: hash.digest('hex'), stats: await server.store.stats() };
}

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n')) if (line && JSON.parse(line).level >= 50) internalErrors.push(line);
      callback();
    },
  });
  server = await startTestServer({ logger: pino({ level: 'error' }, sink) });
  alice = await server.sign('alpha', { sub: 'alice', name: 'Alice' });
  const api = `${server.url}/api/sites/alpha`;
  for (let i = 0; i < 5; i++) {
    const created = await request(`${api}/posts`, { token: alice, body: { topic: 'stable', body: `seed ${i}`, idempotencyKey: key(), parent: postIds[0] } });
    postIds.push(created.body.post.id);
  }
  postIds = postIds.filter(Boolean);
});

afterAll(async () => {
  agent.destroy();
  await server.close();
});

describe('fuzzing', () => {
  it(`answers ${REST_CASES + SOCKET_CASES + RAW_FRAMES} random requests and frames without a 5xx, a crash, or a change to stored data`, async () => {
    const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();
    const before = await snapshot();
    const url = new URL(server.url);

    // REST, 16 at a time.
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < REST_CASES) {
          next++;
          const c = restCase();
          const result = await send(url, c);
          if ('error' in result) {
            // A connection the server closed on a request it could not parse is fine; a hang is not.
            if (result.error === 'timeout') failures.push(`timeout: ${c.method} ${c.path.slice(0, 200)}`);
            statuses.set(0, (statuses.get(0) ?? 0) + 1);
            continue;
          }
          statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
          if (result.status >= 500) failures.push(`${result.status}: ${c.method} ${c.path.slice(0, 200)} ${JSON.stringify(c.headers).slice(0, 300)}`);
        }
      }),
    );
    expect(failures).toEqual([]);

    // Socket.IO events, through the real client, signed in.
    const acks = new Map<string, number>();
    let socket: Socket | null = null;
    const fresh = async () => {
      socket?.close();
      socket = io(server.url, { auth: { site: 'alpha', token: alice }, transports: ['websocket'], forceNew: true, reconnection: false });
      await new Promise<void>((resolve, reject) => {
        socket!.once('connect', resolve);
        socket!.once('connect_error', reject);
      });
      return socket;
    };
    let live = await fresh();
    const events = [SOCKET_EVENTS.createPost, SOCKET_EVENTS.createPost, SOCKET_EVENTS.join, SOCKET_EVENTS.leave, SOCKET_EVENTS.setToken, 'admin:wipe', 'topic:delete', 'x'.repeat(1000), '__proto__', 'constructor', 'hasOwnProperty', 'toString'];
    for (let done = 0; done < SOCKET_CASES; ) {
      const batch = Array.from({ length: Math.min(20, SOCKET_CASES - done) }, () => {
        const event = chance(0.9) ? pick(events) : printable(randomString()).slice(0, 100) || 'e';
        // Over maxHttpBufferSize (64 KiB, with a little room for framing) the server drops the
        // connection, losing the batch's acks: keep those rare so most payloads reach a handler.
        const size = (args: unknown[]) => Buffer.byteLength(JSON.stringify([event, ...args]));
        const generate = () => Array.from({ length: int(3) }, () => (event === SOCKET_EVENTS.createPost ? poisoned(randomPayload()) : randomPayload()));
        let args = chance(0.005) ? [{ zzz: 1, body: 'x'.repeat(100_000) }] : generate();
        while (size(args) > LIMITS.requestBodyMaxBytes - 64 && chance(0.9)) args = generate();
        const oversized = size(args) > LIMITS.requestBodyMaxBytes - 64;
        return { event, args, oversized };
      });
      done += batch.length;
      const results = await Promise.all(
        batch.map(({ event, args, oversized }) =>
          live
            .timeout(5_000)
            .emitWithAck(event, ...args)
            .then(
              (ack: any) => {
                const code = ack?.error?.code ?? (ack && typeof ack === 'object' ? 'ok' : 'no-ack-body');
                acks.set(code, (acks.get(code) ?? 0) + 1);
                return { ok: true as const };
              },
              (error: Error) => ({ ok: false as const, oversized, message: error.message }),
            ),
        ),
      );
      const lost = results.filter((r) => !r.ok);
      if (lost.length) {
        // Only an oversized message may cost the connection (and with it the batch's acks).
        expect(batch.some((b) => b.oversized), JSON.stringify(lost)).toBe(true);
        live = await fresh();
      }
    }
    (socket as Socket | null)?.close();
    expect(acks.get('internal') ?? 0).toBe(0);
    expect(acks.get('no-ack-body') ?? 0).toBe(0);

    // Raw engine.io / socket.io frames, anonymous, over a bare WebSocket.
    let frames = 0;
    const wsUrl = `ws://${url.host}/socket.io/?EIO=4&transport=websocket`;
    while (frames < RAW_FRAMES) {
      const ws = new WebSocket(wsUrl);
      await new Promise<void>((resolve) => {
        ws.once('open', () => {
          ws.send(pick(['40', '40{"site":"alpha"}', '40{"site":"alpha","token":"x"}', '40[]', '40{"site":{"__proto__":1}}', '40/nsp,{}']));
          resolve();
        });
        ws.once('error', () => resolve());
      });
      for (let i = 0; i < 50 && frames < RAW_FRAMES && ws.readyState === WebSocket.OPEN; i++, frames++) {
        const json = JSON.stringify([pick(events), randomPayload()]);
        const frame = pick([
          `42${json}`,
          `42${int(1000)}${json}`,
          `42${json.slice(0, int(json.length))}`,
          `4${int(10)}${printable(randomString()).slice(0, 200)}`,
          `451-["post:create",{"_placeholder":true,"num":0}]`,
          `43${int(100)}[${JSON.stringify(randomPayload())}]`,
          `${int(10)}${printable(randomString()).slice(0, 100)}`,
          '2', '3', '5', '6', '1', '',
          `42["post:create",${'['.repeat(20_000)}${']'.repeat(20_000)}]`,
          `42["topic:join",${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}]`,
        ]);
        ws.send(chance(0.05) ? Buffer.from(frame) : frame);
      }
      ws.close();
    }

    // Nothing changed, nothing polluted, nothing logged as a bug, and the server still works.
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await snapshot()).toEqual(before);
    expect(internalErrors).toEqual([]);
    expect((await request(`${server.url}/healthz`)).status).toBe(200);
    expect((await request(`${server.url}/readyz`)).status).toBe(200);
    const post = await request(`${server.url}/api/sites/alpha/posts`, { token: alice, body: { topic: 'after-fuzz', body: 'still here', idempotencyKey: key() } });
    expect(post.status).toBe(201);

    const summary = [...statuses.entries()].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s || 'closed'}×${n}`).join(' ');
    console.info(`fuzz seed ${SEED}: REST ${summary}; socket acks ${JSON.stringify(Object.fromEntries(acks))}; raw frames ${frames}`);
  }, 120_000);
});
