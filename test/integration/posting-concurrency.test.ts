/**
 * Posts that arrive together, through the real server: what the topic's write lock and the store's
 * createPost must keep true whatever the database (on PostgreSQL, READ COMMITTED under the lock
 * and one statement for the common case; on SQLite, one writer at a time). Every post to a topic
 * gets its own seq and rev with no gap, the topic's counters match its posts, the first posts to a
 * new topic create it once, an idempotency key stores one post however many requests carry it at
 * once (also across topics), and a topic locked between posts takes no more.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http } from '../support/clients.js';
import { key, startTestServer, type TestServer } from '../support/server.js';
import { act, setUpModeration, type ModerationFixture } from '../support/moderation-fixtures.js';

let server: TestServer;
let api: string;
const tokens: string[] = [];
let fx: ModerationFixture;

beforeAll(async () => {
  server = await startTestServer();
  api = `${server.url}/api/sites/alpha`;
  for (let i = 0; i < 6; i++) tokens.push(await server.sign('alpha', { sub: `writer-${i}`, name: `Writer ${i}` }));
  fx = await setUpModeration(server);
});

afterAll(async () => {
  await server.close();
});

const post = (token: string, body: Record<string, unknown>) => http(`${api}/posts`, { token, body: { idempotencyKey: key(), ...body } });

/** The stored posts of a topic, in seq order, straight from the database. */
async function storedPosts(topic: string) {
  return server.store.database.all<{ id: string; seq: number; rev: number; depth: number; root: string; body: string }>(
    'SELECT id, seq, rev, depth, root, body FROM posts WHERE site = ? AND topic = ? ORDER BY seq', ['alpha', topic]);
}

describe('posts arriving together', () => {
  it('give one new topic consecutive seqs and revs, counted once each, replies included', async () => {
    const topic = 'together';
    const first = await Promise.all(tokens.flatMap((token, w) => [0, 1, 2].map((n) => post(token, { topic, body: `top ${w}.${n}` }))));
    expect(first.map((r) => r.status)).toEqual(Array(first.length).fill(201));
    const parent = first[0]!.body.post;
    const replies = await Promise.all(tokens.map((token, w) => post(token, { topic, parent: parent.id, body: `reply ${w}` })));
    expect(replies.map((r) => r.status)).toEqual(Array(replies.length).fill(201));
    for (const reply of replies) expect(reply.body.post).toMatchObject({ parent: parent.id, depth: 1 });

    const rows = await storedPosts(topic);
    const total = first.length + replies.length;
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(rows.map((r) => r.rev).sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(rows.filter((r) => r.body.startsWith('reply')).every((r) => r.depth === 1 && r.root === parent.id)).toBe(true);
    expect(await server.store.getTopic('alpha', topic)).toMatchObject({ rev: total, lastSeq: total, postCount: total });
  });

  it('store one post for a key sent many times at once; the others replay it', async () => {
    const idempotencyKey = key();
    const results = await Promise.all(Array.from({ length: 8 }, () =>
      http(`${api}/posts`, { token: tokens[0]!, body: { topic: 'same-key', body: 'only once', idempotencyKey } })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.body.post.id)).size).toBe(1);
    expect(await storedPosts('same-key')).toHaveLength(1);
    expect(await server.store.getTopic('alpha', 'same-key')).toMatchObject({ rev: 1, lastSeq: 1, postCount: 1 });
  });

  it('store one post for a key sent to two topics at once (their locks do not exclude each other)', async () => {
    for (let round = 0; round < 5; round++) {
      const idempotencyKey = key();
      const [a, b] = await Promise.all(['key-left', 'key-right'].map((topic) =>
        http(`${api}/posts`, { token: tokens[1]!, body: { topic, body: 'one of two', idempotencyKey } })));
      // The first stored wins; the other is a different request (another topic) with that key.
      expect([a!.status, b!.status].sort()).toEqual([201, 409]);
      expect([a, b].find((r) => r!.status === 409)!.body.error.code).toBe('idempotency_conflict');
    }
    const stored = [...await storedPosts('key-left'), ...await storedPosts('key-right')];
    expect(stored).toHaveLength(5);
    const left = await server.store.getTopic('alpha', 'key-left');
    const right = await server.store.getTopic('alpha', 'key-right');
    // No counter moved for a post that was not stored.
    expect((left?.postCount ?? 0) + (right?.postCount ?? 0)).toBe(5);
    expect(left?.lastSeq ?? 0).toBe(left?.postCount ?? 0);
    expect(right?.lastSeq ?? 0).toBe(right?.postCount ?? 0);
  });

  it('take no post into a topic once it is locked, while posts keep arriving', async () => {
    const topic = 'closing';
    const opened = await post(tokens[2]!, { topic, body: 'first' });
    expect(opened.status).toBe(201);
    const before = Promise.all(tokens.map((token, w) => post(token, { topic, body: `racing ${w}` })));
    const lock = await act(fx, fx.moderatorToken, { type: 'lock', topic, ruleId: 'R1', reason: 'Cooling off',
      facts: 'The discussion turned into repeated insults between several members.' });
    expect(lock.status).toBe(201);
    const racing = await before;
    for (const r of racing) expect(r.status === 201 || r.body.error?.code === 'topic_locked').toBe(true);
    const after = await post(tokens[3]!, { topic, body: 'too late' });
    expect(after.body.error.code).toBe('topic_locked');
    const created = 1 + racing.filter((r) => r.status === 201).length;
    expect(await storedPosts(topic)).toHaveLength(created);
    expect(await server.store.getTopic('alpha', topic)).toMatchObject({ lastSeq: created, postCount: created, locked: true });
  });
});
