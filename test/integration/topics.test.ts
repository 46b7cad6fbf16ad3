/** A site's topic list (issue 10): titles, counts, last activity, newest first, cursor pages and `ids` batches. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../moderation/limits.js';
import { http } from '../support/clients.js';
import { key, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let api: string;
let alice: string;
// From the real time on (tokens are signed with the real clock and checked against the server's), a minute a post.
let clock = Date.now();

const post = async (topic: string, extra: Record<string, unknown> = {}) => {
  clock += 60_000;
  const response = await http(`${api}/posts`, { token: alice, body: { topic, body: `in ${topic}`, idempotencyKey: key(), ...extra } });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.post;
};

beforeAll(async () => {
  server = await startTestServer({ now: () => new Date(clock) });
  api = `${server.url}/api/sites/alpha`;
  alice = await server.sign('alpha', { sub: 'alice', name: 'Alice' }, { expiresIn: 3 * 3600 });
  // t0 … t24: each topic gets one post; t3 then a reply, so it moves to the top.
  for (let i = 0; i < 25; i++) await post(`t${i}`, { topicTitle: `Topic ${i}` });
  const first = await post('t3');
  await post('t3', { parent: first.id });
  await http(`${server.url}/api/sites/beta/posts`, {
    token: await server.sign('beta', { sub: 'bo', name: 'Bo' }, { expiresIn: 3 * 3600 }),
    body: { topic: 'beta-only', body: 'other site', idempotencyKey: key() },
  });
});
afterAll(async () => server.close());

describe('GET /topics', () => {
  it('lists topics newest activity first with title, count and time, and pages through all without gaps or repeats', async () => {
    const first = await http(`${api}/topics?limit=10`);
    expect(first.status).toBe(200);
    expect(first.body.site).toBe('alpha');
    expect(first.body.topics[0]).toEqual({ id: 't3', title: 'Topic 3', postCount: 3, lastActivityAt: new Date(clock).toISOString(), locked: false });
    expect(first.body.topics.slice(1, 4).map((t: any) => t.id)).toEqual(['t24', 't23', 't22']);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: any = await http(`${api}/topics?limit=10${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.topics.map((t: any) => t.id));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(25);
    const times = (await http(`${api}/topics?limit=100`)).body.topics.map((t: any) => t.lastActivityAt);
    expect(times).toEqual([...times].sort().reverse());
    expect(seen).not.toContain('beta-only');
  });

  it('answers the counts of the named topics in one request; topics without posts are absent', async () => {
    const response = await http(`${api}/topics?ids=t1,t3,never,t3,beta-only`);
    expect(response.status).toBe(200);
    expect(response.body.topics.map((t: any) => [t.id, t.postCount])).toEqual([['t3', 3], ['t1', 1]]);
    expect(response.body.nextCursor).toBeNull();
  });

  it('refuses out-of-range limits, too many ids, bad cursors and unknown parameters, naming the field', async () => {
    const cases: Array<[string, string]> = [
      ['limit=0', 'limit'],
      [`limit=${LIMITS.topicListMaxLimit + 1}`, 'limit'],
      [`ids=${Array.from({ length: LIMITS.topicIdsMax + 1 }, (_, i) => `x${i}`).join(',')}`, 'ids'],
      ['ids=ok,../bad', 'ids'],
      ['cursor=AAAA', 'cursor'],
      ['cursor=no!', 'cursor'],
      ['order=oldest', 'order'],
    ];
    for (const [query, field] of cases) {
      const response = await http(`${api}/topics?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body.error.code).toBe('validation_failed');
      expect(response.body.error.issues[0].path, query).toMatch(new RegExp(`^${field}`));
    }
    expect((await http(`${api}/topics?ids=${Array.from({ length: LIMITS.topicIdsMax }, (_, i) => `x${i}`).join(',')}`)).status).toBe(200);
  });
});
