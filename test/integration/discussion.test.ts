/** A live discussion end to end: real server, real SQLite file, real HTTP and socket.io clients. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { SOCKET_EVENTS } from '../../moderation/protocol.js';
import { connect, connected, http, nextEvents } from '../support/clients.js';
import { key, startTestServer, type TestServer } from '../support/server.js';
import { demoPlugin } from '../../demo/plugin.js';

let server: TestServer;
let api: string;
let alice: string;
let bob: string;
const sockets: Socket[] = [];

function socketFor(auth: Record<string, unknown>, options = {}) {
  const socket = connect(server.url, auth, options);
  sockets.push(socket);
  return socket;
}

async function post(token: string, body: Record<string, unknown>) {
  return http(`${api}/posts`, { token, body: { idempotencyKey: key(), ...body } });
}

beforeAll(async () => {
  server = await startTestServer();
  api = `${server.url}/api/sites/alpha`;
  alice = await server.sign('alpha', { sub: 'alice', name: 'Alice' });
  bob = await server.sign('alpha', { sub: 'bob', name: 'Bob' });
});

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await server.close();
});

describe('posting and live delivery', () => {
  it('two clients in a topic see each other’s posts and replies at once', async () => {
    const a = socketFor({ site: 'alpha', token: alice });
    const b = socketFor({ site: 'alpha', token: bob });
    await Promise.all([connected(a), connected(b)]);
    await a.emitWithAck(SOCKET_EVENTS.join, { topic: 'live' });
    await b.emitWithAck(SOCKET_EVENTS.join, { topic: 'live' });

    const bSees = nextEvents(b, SOCKET_EVENTS.postCreated);
    const ack = await a.emitWithAck(SOCKET_EVENTS.createPost, { topic: 'live', body: 'Hello from *Alice*', idempotencyKey: key() });
    expect(ack.created).toBe(true);
    expect(ack.post.author.name).toBe('Alice');
    expect(ack.post.html).toBe('<p>Hello from <em>Alice</em></p>');
    const [event] = await bSees;
    expect(event.post.id).toBe(ack.post.id);

    const aSees = nextEvents(a, SOCKET_EVENTS.postCreated);
    const reply = await b.emitWithAck(SOCKET_EVENTS.createPost, {
      topic: 'live', parent: ack.post.id, body: 'Hi Alice', idempotencyKey: key(),
    });
    expect(reply.post.parent).toBe(ack.post.id);
    expect(reply.post.root).toBe(ack.post.id);
    expect(reply.post.depth).toBe(1);
    const [replyEvent] = await aSees;
    expect(replyEvent.post.id).toBe(reply.post.id);
  });

  it('a post made over REST reaches socket readers, and readers need no sign-in', async () => {
    const reader = socketFor({ site: 'alpha' });
    await connected(reader);
    await reader.emitWithAck(SOCKET_EVENTS.join, { topic: 'rest-to-socket' });
    const sees = nextEvents(reader, SOCKET_EVENTS.postCreated);
    const created = await post(alice, { topic: 'rest-to-socket', body: 'via REST' });
    expect(created.status).toBe(201);
    const [event] = await sees;
    expect(event.post.id).toBe(created.body.post.id);
    const fetched = await http(`${api}/posts/${created.body.post.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body.post.body).toBe('via REST');
  });

  it('does not deliver a topic’s posts to another topic’s room or another site', async () => {
    const other = socketFor({ site: 'alpha' });
    const otherSite = socketFor({ site: 'beta' });
    await Promise.all([connected(other), connected(otherSite)]);
    await other.emitWithAck(SOCKET_EVENTS.join, { topic: 'room-b' });
    await otherSite.emitWithAck(SOCKET_EVENTS.join, { topic: 'room-a' });
    let leaked = 0;
    other.on(SOCKET_EVENTS.postCreated, () => leaked++);
    otherSite.on(SOCKET_EVENTS.postCreated, () => leaked++);
    const watcher = socketFor({ site: 'alpha' });
    await connected(watcher);
    await watcher.emitWithAck(SOCKET_EVENTS.join, { topic: 'room-a' });
    const seen = nextEvents(watcher, SOCKET_EVENTS.postCreated);
    await post(alice, { topic: 'room-a', body: 'only for room a' });
    await seen;
    expect(leaked).toBe(0);
  });
});

describe('idempotency', () => {
  it('a retry with the same key returns the same post and creates no duplicate', async () => {
    const idempotencyKey = key();
    const first = await http(`${api}/posts`, { token: alice, body: { topic: 'idem', body: 'once', idempotencyKey } });
    const again = await http(`${api}/posts`, { token: alice, body: { topic: 'idem', body: 'once', idempotencyKey } });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.created).toBe(false);
    expect(again.body.post.id).toBe(first.body.post.id);

    const socket = socketFor({ site: 'alpha', token: alice });
    await connected(socket);
    const viaSocket = await socket.emitWithAck(SOCKET_EVENTS.createPost, { topic: 'idem', body: 'once', idempotencyKey });
    expect(viaSocket.created).toBe(false);
    expect(viaSocket.post.id).toBe(first.body.post.id);

    const page = await http(`${api}/topics/idem/posts`);
    expect(page.body.posts.filter((p: any) => p.body === 'once')).toHaveLength(1);
  });

  it('the same key with different content is a conflict, and keys are per author', async () => {
    const idempotencyKey = key();
    await http(`${api}/posts`, { token: alice, body: { topic: 'idem2', body: 'first', idempotencyKey } });
    const conflict = await http(`${api}/posts`, { token: alice, body: { topic: 'idem2', body: 'second', idempotencyKey } });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe('idempotency_conflict');
    const bobSameKey = await http(`${api}/posts`, { token: bob, body: { topic: 'idem2', body: 'second', idempotencyKey } });
    expect(bobSameKey.status).toBe(201);
  });
});

describe('pagination', () => {
  const topic = 'paged';
  const roots: string[] = [];
  beforeAll(async () => {
    for (let i = 1; i <= 7; i++) {
      const created = await post(alice, { topic, body: `root ${i}` });
      roots.push(created.body.post.id);
    }
    await post(bob, { topic, parent: roots[0], body: 'reply to root 1' });
    await post(bob, { topic, parent: roots[6], body: 'reply to root 7' });
  });

  it('pages newest first by default with a cursor, replies travelling with their threads', async () => {
    const first = await http(`${api}/topics/${topic}/posts?limit=3`);
    expect(first.status).toBe(200);
    expect(first.body.order).toBe('newest');
    expect(first.body.topic.postCount).toBe(9);
    const firstRoots = first.body.posts.filter((p: any) => p.depth === 0).map((p: any) => p.body);
    expect(firstRoots).toEqual(['root 7', 'root 6', 'root 5']);
    expect(first.body.posts.map((p: any) => p.body)).toContain('reply to root 7');
    expect(first.body.posts.map((p: any) => p.body)).not.toContain('reply to root 1');

    const seen: string[] = [...firstRoots];
    let cursor = first.body.nextCursor;
    while (cursor) {
      const page = await http(`${api}/topics/${topic}/posts?limit=3&cursor=${cursor}`);
      seen.push(...page.body.posts.filter((p: any) => p.depth === 0).map((p: any) => p.body));
      cursor = page.body.nextCursor;
    }
    expect(seen).toEqual(['root 7', 'root 6', 'root 5', 'root 4', 'root 3', 'root 2', 'root 1']);
  });

  it('pages oldest first', async () => {
    const first = await http(`${api}/topics/${topic}/posts?order=oldest&limit=4`);
    expect(first.body.posts.filter((p: any) => p.depth === 0).map((p: any) => p.body)).toEqual(['root 1', 'root 2', 'root 3', 'root 4']);
    expect(first.body.posts.map((p: any) => p.body)).toContain('reply to root 1');
    const second = await http(`${api}/topics/${topic}/posts?order=oldest&limit=4&cursor=${first.body.nextCursor}`);
    expect(second.body.posts.filter((p: any) => p.depth === 0).map((p: any) => p.body)).toEqual(['root 5', 'root 6', 'root 7']);
    expect(second.body.nextCursor).toBeNull();
  });

  it('an unknown topic is an empty page, not an error', async () => {
    const page = await http(`${api}/topics/nobody-here/posts`);
    expect(page.status).toBe(200);
    expect(page.body.posts).toEqual([]);
    expect(page.body.nextCursor).toBeNull();
    expect(page.body.topic.postCount).toBe(0);
  });

  it('refuses bad page queries clearly', async () => {
    for (const query of ['limit=0', 'limit=1000', 'order=sideways', 'cursor=%27%3B--', 'cursor=zzz']) {
      const page = await http(`${api}/topics/${topic}/posts?${query}`);
      expect(page.status, query).toBe(400);
      expect(page.body.error.code, query).toBe('validation_failed');
    }
  });
});

describe('reconnect catch-up', () => {
  it('a client that was away receives exactly what it missed', async () => {
    const topic = 'catch-up';
    const reader = socketFor({ site: 'alpha' });
    await connected(reader);
    const joined = await reader.emitWithAck(SOCKET_EVENTS.join, { topic, since: 0 });
    expect(joined.posts).toEqual([]);
    const sees = nextEvents(reader, SOCKET_EVENTS.postCreated);
    await post(alice, { topic, body: 'before the drop' });
    const [{ post: seen }] = await sees;
    const lastRev = seen.rev;
    expect(lastRev).toBe(1);
    reader.disconnect();

    const missed = [];
    for (let i = 0; i < 3; i++) missed.push((await post(bob, { topic, body: `missed ${i}` })).body.post.id);

    const back = socketFor({ site: 'alpha' });
    await connected(back);
    const caughtUp = await back.emitWithAck(SOCKET_EVENTS.join, { topic, since: lastRev });
    expect(caughtUp.truncated).toBe(false);
    expect(caughtUp.posts.map((p: any) => p.id)).toEqual(missed);
    expect(caughtUp.topic.rev).toBe(lastRev + 3);

    const viaRest = await http(`${api}/topics/${topic}/changes?since=${lastRev}`);
    expect(viaRest.body.posts.map((p: any) => p.id)).toEqual(missed);
  });
});

describe('the demo', () => {
  it('serves the demo site, personas, one-click sign-in and the outbox only in demo mode', async () => {
    const { startTestServer: start } = await import('../support/server.js');
    const demo = await start({ plugins: [demoPlugin()], sites: [] });
    try {
      const page = await http(`${demo.url}/`);
      expect(page.status).toBe(200);
      expect(String(page.body)).toContain('<parley-discussion');
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      const personas = await http(`${demo.url}/demo/api/personas`);
      expect(personas.body.notice).toMatch(/Demo mode/);
      expect(personas.body.personas.map((p: any) => p.key)).toEqual(expect.arrayContaining(['patient', 'carer', 'staff', 'moderator']));
      const signIn = await http(`${demo.url}/demo/api/sign-in`, { body: { persona: 'staff' } });
      const me = await http(`${demo.url}/api/sites/demo/me`, { token: signIn.body.token });
      expect(me.body.viewer.affiliation.companyName).toBe('Novacura Pharma');
      const seeded = await http(`${demo.url}/api/sites/demo/topics/new-treatments/posts`);
      expect(seeded.body.posts.length).toBeGreaterThan(3);
      const link = await http(`${demo.url}/api/sites/demo/staff/email-link`, {
        body: { email: 'new.person@novacura.example', name: 'New Person', jobTitle: 'Medical Advisor', returnUrl: `${demo.url}/treatments` },
      });
      expect(link.status).toBe(202);
      const outbox = await http(`${demo.url}/demo/api/outbox`);
      expect(outbox.body.messages[0].body).toContain(`${demo.url}/treatments#parley-verify=`);
    } finally {
      await demo.close();
    }
    const plain = await http(`${server.url}/demo/api/personas`);
    expect(plain.status).toBe(404);
  });
});
